/**
 * `drover job <subcommand>`: shows, validates, stops and drives jobs from
 * the command line, as `nomad job …` does. Each subcommand lives
 * in `job/<name>.ts`; only the one asked for is loaded.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover job --help` lists them. */
const JOB_SUBCOMMANDS = [
  "status",
  "inspect",
  "history",
  "versions",
  "validate",
  "allocs",
  "deployments",
  "stop",
  "promote",
  "fail",
  "revert",
  "scale",
  "dispatch",
  "periodic-force",
] as const;

/** The `drover job` command. */
export const command = subcommandGroup({
  name: "job",
  summary: "Inspect, validate, stop, promote, fail, revert, scale, dispatch and force jobs",
  subcommands: JOB_SUBCOMMANDS,
  dir: path.join(__dirname, "job"),
  intro: "Shows and drives jobs, as `nomad job …` does. Subcommands:",
  outro: "Run `drover job <subcommand> --help` for its options.",
  nameWidth: 15,
});
