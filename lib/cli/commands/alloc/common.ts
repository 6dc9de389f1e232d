/**
 * What the `drover alloc …` subcommands share: finding the allocation by ID
 * or prefix (a failed lookup prints Nomad's message alone and exits 1), the
 * task names of its group, and the usage line about ALLOC.
 */
import type { CommandIO } from "../../command";
import type { ParsedArgs } from "../../args";
import type { Allocation, NomadClient } from "../../../api";
import { formatList } from "../../render/status-format";
import { LookupError, resolveAlloc } from "../../render/status-lookup";
import { JobCommandError, withClient } from "../subcommand-common";

/** The usage line on the ALLOC argument. */
export const ALLOC_ARGUMENT = "ALLOC is an allocation ID or a unique prefix of one (at least two characters).";

/** The allocation whose ID is `idOrPrefix` or uniquely starts with it, read in full. */
async function readAlloc(client: NomadClient, idOrPrefix: string): Promise<Allocation> {
  const stub = await resolveAlloc(client, idOrPrefix);
  return (await client.allocations.info(stub.ID, { namespace: stub.Namespace })).data;
}

/**
 * Connects, finds the allocation `given` names and runs `body` with it;
 * resolves to `body`'s exit code, or 1 with Nomad's lookup message, or the
 * code of its failure reported as `drover <command>: …`.
 */
export async function withAlloc(
  args: ParsedArgs,
  io: CommandIO,
  command: string,
  given: string,
  body: (client: NomadClient, alloc: Allocation) => Promise<number>,
): Promise<number> {
  return withClient(args, io, command, async (client) => {
    let alloc: Allocation;
    try {
      alloc = await readAlloc(client, given);
    } catch (err) {
      if (!(err instanceof LookupError)) throw err;
      io.err.write(`${err.message}\n`);
      return 1;
    }
    return body(client, alloc);
  });
}

/** The names of the tasks of the allocation's group, in job order. */
export function taskNames(alloc: Allocation): string[] {
  const groups = ((alloc.Job ?? {}) as { TaskGroups?: { Name: string; Tasks?: { Name: string }[] }[] }).TaskGroups ?? [];
  return (groups.find((g) => g.Name === alloc.TaskGroup)?.Tasks ?? []).map((t) => t.Name);
}

/** Fails with Nomad's "Could not find task named: …" and the group's tasks unless `task` is one of them. */
export function checkTask(alloc: Allocation, task: string): void {
  const tasks = taskNames(alloc);
  if (!tasks.includes(task)) throw new JobCommandError(`Could not find task named: ${task}, found:\n${formatList(tasks)}`);
}
