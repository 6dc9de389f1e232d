/**
 * `drover deployment <subcommand>`: deployments by ID, as `nomad deployment …`
 * works with them. Each subcommand lives in `deployment/<name>.ts`.
 */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import type { JobSubcommand } from "./job/common";
import { COMMON_USAGE, EXIT_CODES } from "./job/common";

/** The subcommands, in the order `drover deployment --help` lists them. */
export const DEPLOYMENT_SUBCOMMANDS = ["list", "status", "promote", "fail", "pause", "resume"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
export function loadDeploymentSubcommand(name: string): JobSubcommand | undefined {
  if (!(DEPLOYMENT_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./deployment/${name}`) as { subcommand: JobSubcommand }).subcommand;
}

function overview(): string {
  const lines = ["Usage: drover deployment <subcommand> [options] ARGS", "", "Works with deployments by ID (or a unique ID prefix), as `nomad deployment …` does. Subcommands:"];
  for (const name of DEPLOYMENT_SUBCOMMANDS) lines.push(`  ${name.padEnd(10)} ${loadDeploymentSubcommand(name)?.summary ?? ""}`);
  lines.push("", "Run `drover deployment <subcommand> --help` for its options. `drover job promote|fail JOB` act on a job's latest deployment.", "", COMMON_USAGE, "", EXIT_CODES);
  return lines.join("\n");
}

/** The `drover deployment` command. */
export const command: Command & { usageFor(argv: string[]): string } = {
  name: "deployment",
  summary: "List, show, promote, fail, pause and resume deployments",
  get usage(): string {
    return overview();
  },
  /** The usage of the subcommand named in `argv`, else the overview. */
  usageFor(argv: string[]): string {
    const name = argv.find((a) => a !== "--help" && a !== "-h");
    return (name && loadDeploymentSubcommand(name)?.usage) || overview();
  },
  async run(argv: string[], io: CommandIO): Promise<number> {
    const [name, ...rest] = argv;
    if (!name) throw new UsageError(`expected a subcommand: ${DEPLOYMENT_SUBCOMMANDS.join(", ")}`);
    const sub = loadDeploymentSubcommand(name);
    if (!sub) throw new UsageError(`unknown subcommand "${name}"; expected one of ${DEPLOYMENT_SUBCOMMANDS.join(", ")}`);
    return sub.run(rest, io);
  },
};
