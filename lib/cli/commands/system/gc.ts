/** `drover system gc`: garbage collection now, as `nomad system gc`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, parseJobArgs, withClient } from "../subcommand-common";

/** The `drover system gc` subcommand. */
export const subcommand: Subcommand = {
  name: "gc",
  summary: "Collect terminal jobs, evaluations, allocations, deployments and down nodes now",
  usage: subcommandUsage(`Usage: drover system gc [options]

Runs Nomad's garbage collection now (PUT /v1/system/gc) instead of waiting
for its interval: stopped jobs, terminal evaluations, allocations and
deployments, and down nodes are removed. Prints nothing on success. Needs a
management token when ACLs are on.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {});
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    if (args.values.namespace !== undefined) throw new UsageError("--namespace does not apply: the command covers every namespace");
    return withClient(args, io, "system gc", async (client) => {
      await callNomad("Error running system garbage-collection", () => client.system.garbageCollect());
      return 0;
    });
  },
};
