/**
 * `drover operator <subcommand>`: cluster-wide settings, as `nomad operator …`.
 * Each subcommand lives in `operator/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands (two words, as Nomad's), in the order `drover operator --help` lists them. */
const OPERATOR_SUBCOMMANDS = [
  "scheduler get-config",
  "scheduler set-config",
  "snapshot save",
  "snapshot restore",
  "snapshot inspect",
] as const;

/** The `drover operator` command. */
export const command = subcommandGroup({
  name: "operator",
  summary: "Read and change the scheduler configuration; save and restore snapshots of the state",
  subcommands: OPERATOR_SUBCOMMANDS,
  dir: path.join(__dirname, "operator"),
  intro: "Cluster-wide settings, as `nomad operator …` has them. Subcommands:",
  outro: "Run `drover operator scheduler|snapshot <subcommand> --help` for its options.",
  nameWidth: 21,
});
