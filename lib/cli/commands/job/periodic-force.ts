/** `drover job periodic-force JOB`: launches a periodic job's child now, as `nomad job periodic force`. */
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import {
  callNomad,
  FOLLOW_OPTIONS,
  FOLLOW_USAGE,
  followAfter,
  idOf,
  onePositional,
  parseJobArgs,
  readJob,
  withJobClient,
} from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

const USAGE = subcommandUsage(`Usage: drover job periodic-force [options] JOB
       drover job periodic force [options] JOB

Launches a child of the periodic job JOB now, even when prohibit_overlap
would skip a launch at this time. Unless -detach, follows the child's evaluation.

Options:
${FOLLOW_USAGE}
`);

/** The `drover job periodic-force` subcommand. */
export const subcommand: Subcommand = {
  name: "periodic-force",
  summary: "Launch a periodic job's child now",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, FOLLOW_OPTIONS);
    const given = onePositional(args, "job ID");
    return withJobClient(args, io, "periodic-force", async (client) => {
      const job = await readJob(client, given);
      const jobId = job.ID;
      const res = await callNomad(`Error forcing a launch of periodic job "${jobId}"`, () => client.jobs.periodicForce(jobId));
      io.out.write(
        `==> Periodic job "${jobId}" launched${res.data.EvalID ? ` (evaluation ${idOf(res.data.EvalID, !!args.values.verbose)})` : ""}\n`,
      );
      if (!res.data.EvalID) return 0;
      if (args.values.detach) {
        io.out.write(`Evaluation ID: ${idOf(res.data.EvalID, !!args.values.verbose)}\n`);
        return 0;
      }
      const evaluation = (await client.evaluations.info(res.data.EvalID)).data;
      const child = evaluation.JobID && evaluation.JobID !== jobId ? await readJob(client, evaluation.JobID) : job;
      await followAfter(client, io, args, child, { evalId: res.data.EvalID, evaluationOnly: true });
      return 0;
    });
  },
};
