/**
 * `drover alloc <subcommand>`: one allocation's status, logs, checks and
 * lifecycle, as `nomad alloc …`. Each subcommand lives in `alloc/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover alloc --help` lists them. */
const ALLOC_SUBCOMMANDS = ["status", "logs", "checks", "restart", "signal", "stop"] as const;

/** The `drover alloc` command. */
export const command = subcommandGroup({
  name: "alloc",
  summary: "Show an allocation's status, logs and checks; restart, signal or stop it",
  subcommands: ALLOC_SUBCOMMANDS,
  dir: path.join(__dirname, "alloc"),
  intro: "One allocation, as `nomad alloc …` shows and drives it. Subcommands:",
  outro: "Run `drover alloc <subcommand> --help` for its options.",
  nameWidth: 8,
});
