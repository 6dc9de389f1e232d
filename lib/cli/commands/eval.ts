/**
 * `drover eval <subcommand>`: evaluations, as `nomad eval …`. Each
 * subcommand lives in `eval/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover eval --help` lists them. */
const EVAL_SUBCOMMANDS = ["list", "status"] as const;

/** The `drover eval` command. */
export const command = subcommandGroup({
  name: "eval",
  summary: "List evaluations and show one's status and placement failures",
  subcommands: EVAL_SUBCOMMANDS,
  dir: path.join(__dirname, "eval"),
  intro: "Evaluations, as `nomad eval …` shows them. Subcommands:",
  outro: "Run `drover eval <subcommand> --help` for its options.",
  nameWidth: 8,
});
