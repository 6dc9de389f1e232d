/**
 * `drover deployment <subcommand>`: deployments by ID, as `nomad deployment …`
 * works with them. Each subcommand lives in `deployment/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover deployment --help` lists them. */
const DEPLOYMENT_SUBCOMMANDS = ["list", "status", "promote", "fail", "pause", "resume", "unblock"] as const;

/** The `drover deployment` command. */
export const command = subcommandGroup({
  name: "deployment",
  summary: "List, show, promote, fail, pause, resume and unblock deployments",
  subcommands: DEPLOYMENT_SUBCOMMANDS,
  dir: path.join(__dirname, "deployment"),
  intro: "Works with deployments by ID (or a unique ID prefix), as `nomad deployment …` does. Subcommands:",
  outro: "Run `drover deployment <subcommand> --help` for its options. `drover job promote|fail JOB` act on a job's latest deployment.",
  nameWidth: 10,
});
