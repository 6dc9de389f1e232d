/**
 * `drover job <subcommand>`: drives a job's deployments from the command
 * line, as `nomad job …` and `nomad deployment …` do. Each subcommand lives
 * in `job/<name>.ts`; only the one asked for is loaded.
 */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import type { JobSubcommand } from "./job/common";
import { COMMON_USAGE, EXIT_CODES } from "./job/common";

/** The subcommands, in the order `drover job --help` lists them. */
export const JOB_SUBCOMMANDS = ["promote", "fail", "revert", "scale", "dispatch", "periodic-force", "status"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
export function loadJobSubcommand(name: string): JobSubcommand | undefined {
  if (!(JOB_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./job/${name}`) as { subcommand: JobSubcommand }).subcommand;
}

/** `periodic force JOB` (nomad's spelling) is `periodic-force JOB`. */
function resolve(argv: string[]): { name: string | undefined; rest: string[] } {
  const [first, ...rest] = argv;
  if (first === "periodic" && rest[0] === "force") return { name: "periodic-force", rest: rest.slice(1) };
  return { name: first, rest };
}

function overview(): string {
  const lines = ["Usage: drover job <subcommand> [options] ARGS", "", "Drives a job's deployments, as `nomad job …` does. Subcommands:"];
  for (const name of JOB_SUBCOMMANDS) lines.push(`  ${name.padEnd(15)} ${loadJobSubcommand(name)?.summary ?? ""}`);
  lines.push("", "Run `drover job <subcommand> --help` for its options.", "", COMMON_USAGE, "", EXIT_CODES);
  return lines.join("\n");
}

/** The `drover job` command. */
export const command: Command & { usageFor(argv: string[]): string } = {
  name: "job",
  summary: "Promote, fail, revert, scale, dispatch and force jobs",
  get usage(): string {
    return overview();
  },
  /** The usage of the subcommand named in `argv`, else the overview. */
  usageFor(argv: string[]): string {
    const { name } = resolve(argv.filter((a) => a !== "--help" && a !== "-h"));
    return (name && loadJobSubcommand(name)?.usage) || overview();
  },
  async run(argv: string[], io: CommandIO): Promise<number> {
    const { name, rest } = resolve(argv);
    if (!name) throw new UsageError(`expected a subcommand: ${JOB_SUBCOMMANDS.join(", ")}`);
    const sub = loadJobSubcommand(name);
    if (!sub) throw new UsageError(`unknown subcommand "${name}"; expected one of ${JOB_SUBCOMMANDS.join(", ")}`);
    return sub.run(rest, io);
  },
};
