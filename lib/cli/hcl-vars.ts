/**
 * The flags that give an HCL job file its variables (`-var`, `-var-file`, as
 * `nomad job run` takes them) and what they add up to with NOMAD_VAR_*.
 */
import * as path from "node:path";
import type { CommandIO } from "./command";
import type { OptionSpec, ParsedArgs } from "./args";

/** The flags that set HCL job variables (`-var name=value`, repeatable; `-var-file FILE`, repeatable), as `nomad job run` takes them. */
export const HCL_VAR_OPTIONS: Record<string, OptionSpec> = {
  var: { type: "string", multiple: true },
  "var-file": { type: "string", multiple: true },
};

/** Usage lines of the HCL variable flags. */
export const HCL_VAR_USAGE = `HCL job files (.hcl, .nomad, .nomad.hcl; parsed as Nomad's jobspec2 does):
  -var NAME=VALUE    set a job variable (repeatable; NOMAD_VAR_NAME also works)
  -var-file FILE     read variable values from an HCL or JSON file (repeatable)`;

/** Rewrites Nomad's single-dash `-var`/`-var-file` flags into the `--var`/`--var-file` form the argument parser reads. */
export function normalizeVarFlags(argv: string[]): string[] {
  return argv.map((a) => (/^-var(-file)?(=|$)/.test(a) ? "-" + a : a));
}

/** What the HCL variable flags and the environment give an HCL job file. */
export interface HclVarInputs {
  /** `-var` values ("name=value"). */
  argVars: string[];
  /** `-var-file` paths, resolved against the working directory. */
  varFiles: string[];
  /** The environment (NOMAD_VAR_*). */
  env: Record<string, string | undefined>;
}

/** The HCL variable inputs from parsed flags and the command's environment. */
export function hclInputsFromArgs(args: ParsedArgs, io: CommandIO): HclVarInputs {
  const list = (k: string) => (Array.isArray(args.values[k]) ? (args.values[k] as string[]) : []);
  return { argVars: list("var"), varFiles: list("var-file").map((f) => path.resolve(io.cwd, f)), env: io.env };
}
