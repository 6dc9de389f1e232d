/** `drover job scale JOB [GROUP] COUNT`: sets a group's count through the scale API, as `nomad job scale`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import {
  callNomad,
  FOLLOW_OPTIONS,
  FOLLOW_USAGE,
  followAfter,
  idOf,
  JobCommandError,
  parseCount,
  parseJobArgs,
  readJob,
  stringFlag,
  withJobClient,
} from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** The message drover records with the scaling event (nomad's CLI records "submitted using the Nomad CLI"). */
const SCALE_MESSAGE = "submitted using the drover CLI";

const USAGE = subcommandUsage(`Usage: drover job scale [options] JOB [GROUP] COUNT

Sets the count of GROUP in JOB to COUNT through Nomad's scale API, which
records a scaling event and enforces the group's scaling policy: a count
below its min or above its max is refused. GROUP may be left out when the
job has one group. Unless -detach, follows the evaluation and the
deployment (or the allocations) with the same progress display as drover apply.

Options:
  -check-index N     Scale only if the job's modify index is N (as nomad's -check-index).
${FOLLOW_USAGE}
`);

/** Picks the group to scale, as `nomad job scale` does: the only one when none is named. */
function pickGroup(groups: string[], named: string | undefined, jobId: string): string {
  if (named === undefined) {
    if (groups.length === 1) return groups[0];
    throw new UsageError(`job "${jobId}" has ${groups.length} groups (${groups.join(", ")}): name the group to scale`);
  }
  if (!groups.includes(named)) throw new JobCommandError(`group "${named}" not found in job "${jobId}" (groups: ${groups.join(", ")})`);
  return named;
}

/** The `drover job scale` subcommand. */
export const subcommand: Subcommand = {
  name: "scale",
  summary: "Set the count of a job's group (within its scaling policy)",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { ...FOLLOW_OPTIONS, "check-index": { type: "string" } });
    const n = args.positionals.length;
    if (n < 2 || n > 3) throw new UsageError(`expected JOB [GROUP] COUNT, got ${n} argument${n === 1 ? "" : "s"}`);
    const given = args.positionals[0];
    const named = n === 3 ? args.positionals[1] : undefined;
    const count = parseCount(args.positionals[n - 1], "COUNT");
    const checkIndexFlag = stringFlag(args, "check-index");
    const checkIndex = checkIndexFlag === undefined ? undefined : parseCount(checkIndexFlag, "-check-index");
    return withJobClient(args, io, "scale", async (client) => {
      const before = await readJob(client, given);
      const jobId = before.ID;
      const status = (await client.jobs.scaleStatus(jobId)).data;
      const group = pickGroup(Object.keys(status.TaskGroups ?? {}).sort(), named, jobId);
      const previous = status.TaskGroups[group]?.Desired;
      const res = await callNomad(`Error scaling group "${group}" of job "${jobId}" to ${count}`, () =>
        client.jobs.scale(jobId, group, count, { message: SCALE_MESSAGE, modifyIndex: checkIndex }),
      );
      const verbose = !!args.values.verbose;
      io.out.write(
        `==> Job "${jobId}" group "${group}" scaled from ${previous ?? "?"} to ${count} (modify index ${res.data.JobModifyIndex}${res.data.EvalID ? `, evaluation ${idOf(res.data.EvalID, verbose)}` : ""})\n`,
      );
      for (const w of (res.data.Warnings ?? "").split("\n").filter((l) => l.trim())) io.out.write(`    Warning: ${w.trim()}\n`);
      if (!res.data.EvalID) return 0;
      const job = res.data.JobModifyIndex !== before.JobModifyIndex ? await readJob(client, jobId) : before;
      await followAfter(client, io, args, job, { evalId: res.data.EvalID, jobModifyIndex: res.data.JobModifyIndex });
      return 0;
    });
  },
};
