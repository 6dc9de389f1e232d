/** `drover job fail JOB`: marks the job's latest deployment failed, as `nomad deployment fail` does for a deployment ID. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { isDeploymentTerminal } from "../../../api";
import type { JobSubcommand } from "./common";
import { FOLLOW_OPTIONS, FOLLOW_USAGE, followAfter, idOf, JobCommandError, jobClient, nomadMessage, parseJobArgs, readJob, reportJobError, subcommandUsage } from "./common";

const USAGE = subcommandUsage(`Usage: drover job fail [options] JOB

Marks JOB's latest deployment as failed: no further allocations are placed
for it. When the job's update block sets auto_revert, Nomad registers the
latest stable version again; unless -detach, drover then follows that
version's rollout (as drover apply shows it), else the evaluation.

Options:
${FOLLOW_USAGE}
`);

/** The `drover job fail` subcommand. */
export const subcommand: JobSubcommand = {
  name: "fail",
  summary: "Fail a job's latest deployment (auto_revert rolls back)",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, FOLLOW_OPTIONS);
    if (args.positionals.length !== 1) throw new UsageError(`expected exactly one job ID, got ${args.positionals.length}`);
    const [jobId] = args.positionals;
    const verbose = !!args.values.verbose;
    const client = jobClient(args, io);
    try {
      await readJob(client, jobId);
      const deployment = (await client.jobs.latestDeployment(jobId)).data;
      if (!deployment) throw new JobCommandError(`job "${jobId}" has no deployment to fail`);
      if (isDeploymentTerminal(deployment.Status)) throw new JobCommandError(`the latest deployment of job "${jobId}" (${idOf(deployment.ID, verbose)}) is already ${deployment.Status}`);
      let res;
      try {
        res = await client.deployments.fail(deployment.ID);
      } catch (err) {
        throw new JobCommandError(`Error failing deployment ${idOf(deployment.ID, verbose)} of job "${jobId}": ${nomadMessage(err)}`);
      }
      const reverted = res.data.RevertedJobVersion;
      const revertedTo = typeof reverted === "number";
      io.out.write(`==> Deployment ${idOf(deployment.ID, verbose)} of job "${jobId}" failed${revertedTo ? `; auto-reverted to job version ${reverted}` : ""}\n`);
      if (!res.data.EvalID) return 0;
      // After a revert, the job holds the reverted spec under a new version: follow its rollout.
      const job = await readJob(client, jobId);
      await followAfter(client, io, args, job, revertedTo ? { evalId: res.data.EvalID, jobModifyIndex: job.JobModifyIndex } : { evalId: res.data.EvalID, evaluationOnly: true });
      return 0;
    } catch (err) {
      return reportJobError(err, io, "fail");
    } finally {
      await client.close();
    }
  },
};
