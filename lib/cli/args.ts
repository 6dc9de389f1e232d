import { parseArgs } from "node:util";
import { UsageError } from "./command";

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
    throw new UsageError((err as Error).message);
  }
}
