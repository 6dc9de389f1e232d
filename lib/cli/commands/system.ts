/**
 * `drover system <subcommand>`: garbage collection and job summary
 * reconciliation, as `nomad system …`. Each subcommand lives in
 * `system/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands (the second in two words, as Nomad's), in the order `drover system --help` lists them. */
const SYSTEM_SUBCOMMANDS = ["gc", "reconcile summaries"] as const;

/** The `drover system` command. */
export const command = subcommandGroup({
  name: "system",
  summary: "Run garbage collection or reconcile job summaries now",
  subcommands: SYSTEM_SUBCOMMANDS,
  dir: path.join(__dirname, "system"),
  intro: "Cluster maintenance, as `nomad system …`. Subcommands:",
  outro: "Run `drover system <subcommand> --help` for its options.",
  nameWidth: 19,
});
