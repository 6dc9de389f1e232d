import { parseArgs } from "node:util";
import { UsageError } from "./command";
import { closestName } from "../jobspec/keys";

/** One option of a subcommand, as `util.parseArgs` takes it. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  default?: string | boolean | string[] | boolean[];
}

/** What `parseCommandArgs` returns: option values by name, and the positional arguments. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Parses a subcommand's arguments with Node's `util.parseArgs`, turning its
 * errors into a `UsageError` (exit code 2 with the usage text).
 */
export function parseCommandArgs(argv: string[], options: Record<string, OptionSpec>, allowPositionals = true): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /^Unknown option '(-{1,2})([^'=]+)'/.exec(message);
    if (unknown) {
      const given = unknown[1] + unknown[2];
      const names = Object.keys(options);
      const near = unknown[1] === "--" ? closestName(unknown[2], names) : undefined;
      throw new UsageError(
        `unknown option ${JSON.stringify(given)}${near ? ` (did you mean "--${near}"?)` : names.length ? `; the options are ${names.map((n) => `--${n}`).join(", ")}` : ""}`,
      );
    }
    throw new UsageError(message);
  }
}
