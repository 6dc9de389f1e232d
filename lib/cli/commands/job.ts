/**
 * `drover job <subcommand>`: drives a job's deployments from the command
 * line, as `nomad job …` and `nomad deployment …` do. Each subcommand lives
 * in `job/<name>.ts`; only the one asked for is loaded.
 */
import type { Subcommand } from "./subcommand";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover job --help` lists them. */
const JOB_SUBCOMMANDS = ["promote", "fail", "revert", "scale", "dispatch", "periodic-force", "status"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
function loadJobSubcommand(name: string): Subcommand | undefined {
  if (!(JOB_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./job/${name}`) as { subcommand: Subcommand }).subcommand;
}

/** `periodic force JOB` (nomad's spelling) is `periodic-force JOB`. */
function resolve(argv: string[]): { name: string | undefined; rest: string[] } {
  const [first, ...rest] = argv;
  if (first === "periodic" && rest[0] === "force") return { name: "periodic-force", rest: rest.slice(1) };
  return { name: first, rest };
}

/** The `drover job` command. */
export const command = subcommandGroup({
  name: "job",
  summary: "Promote, fail, revert, scale, dispatch and force jobs",
  subcommands: JOB_SUBCOMMANDS,
  load: loadJobSubcommand,
  intro: "Drives a job's deployments, as `nomad job …` does. Subcommands:",
  outro: "Run `drover job <subcommand> --help` for its options.",
  nameWidth: 15,
  resolve,
});
