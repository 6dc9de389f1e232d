/**
 * A command made of subcommands (`drover job …`, `drover deployment …`):
 * an overview listing them, the usage of the one named, and running it.
 * Each subcommand lives in its own file of the group's folder (a two-word
 * subcommand such as `scheduler get-config` in `scheduler-get-config.ts`)
 * and only the one asked for is loaded.
 */
import * as path from "node:path";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import type { Subcommand } from "./subcommand";
import { COMMON_USAGE, EXIT_CODES } from "./subcommand-usage";

/** What a command made of subcommands says and how it finds them. */
interface SubcommandGroupSpec {
  /** The command name, e.g. "job". */
  readonly name: string;
  /** The one-line summary of `drover --help`. */
  readonly summary: string;
  /** The subcommands, in the order the overview lists them; a name may be two words (`meta read`). */
  readonly subcommands: readonly string[];
  /** The folder of the subcommands' files (each exports `subcommand`). */
  readonly dir: string;
  /** The overview's line before the list, ending "Subcommands:". */
  readonly intro: string;
  /** The overview's line after the list (how to get a subcommand's options). */
  readonly outro: string;
  /** The width of the name column of the list. */
  readonly nameWidth: number;
}

/**
 * Splits `argv` into the subcommand name and its arguments: the first two
 * arguments when they name a two-word subcommand (`scheduler get-config`),
 * or a hyphenated one (`periodic force` is `periodic-force`), else the first.
 */
function resolveSubcommand(subcommands: readonly string[], argv: string[]): { name: string | undefined; rest: string[] } {
  const [first, second] = argv;
  if (first !== undefined && second !== undefined) {
    for (const name of [`${first} ${second}`, `${first}-${second}`]) if (subcommands.includes(name)) return { name, rest: argv.slice(2) };
  }
  return { name: first, rest: argv.slice(1) };
}

/** Builds the command described by `spec`. */
export function subcommandGroup(spec: SubcommandGroupSpec): Command & { usageFor(argv: string[]): string } {
  const resolve = (argv: string[]) => resolveSubcommand(spec.subcommands, argv);
  const load = (name: string): Subcommand | undefined =>
    spec.subcommands.includes(name)
      ? (require(path.join(spec.dir, name.replace(/ /g, "-"))) as { subcommand: Subcommand }).subcommand
      : undefined;
  const overview = (): string => {
    const lines = [`Usage: drover ${spec.name} <subcommand> [options] ARGS`, "", spec.intro];
    for (const name of spec.subcommands) lines.push(`  ${name.padEnd(spec.nameWidth)} ${load(name)?.summary ?? ""}`);
    lines.push("", spec.outro, "", COMMON_USAGE, "", EXIT_CODES);
    return lines.join("\n");
  };
  return {
    name: spec.name,
    summary: spec.summary,
    get usage(): string {
      return overview();
    },
    /** The usage of the subcommand named in `argv`, else the overview. */
    usageFor(argv: string[]): string {
      const { name } = resolve(argv.filter((a) => a !== "--help" && a !== "-h"));
      return (name && load(name)?.usage) || overview();
    },
    async run(argv: string[], io: CommandIO): Promise<number> {
      const { name, rest } = resolve(argv);
      if (!name) throw new UsageError(`expected a subcommand: ${spec.subcommands.join(", ")}`);
      const sub = load(name);
      if (!sub) throw new UsageError(`unknown subcommand "${name}"; expected one of ${spec.subcommands.join(", ")}`);
      return sub.run(rest, io);
    },
  };
}
