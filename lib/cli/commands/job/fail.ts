/** `drover job fail JOB`: marks the job's latest deployment failed, as `nomad deployment fail` does for a deployment ID. */
import type { CommandIO } from "../../command";
import { isDeploymentTerminal } from "../../../api";
import type { Deployment, NomadClient } from "../../../api";
import type { ParsedArgs } from "../../args";
import type { Subcommand } from "../subcommand";
import {
  callNomad,
  FOLLOW_OPTIONS,
  FOLLOW_USAGE,
  followAfter,
  idOf,
  JobCommandError,
  onePositional,
  parseJobArgs,
  readJob,
  withJobClient,
} from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

const USAGE = subcommandUsage(`Usage: drover job fail [options] JOB

Marks JOB's latest deployment as failed: no further allocations are placed
for it. When the job's update block sets auto_revert, Nomad registers the
latest stable version again; unless -detach, drover then follows that
version's rollout (as drover apply shows it), else the evaluation.

Options:
${FOLLOW_USAGE}
`);

/** The `drover job fail` subcommand. */
export const subcommand: Subcommand = {
  name: "fail",
  summary: "Fail a job's latest deployment (auto_revert rolls back)",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, FOLLOW_OPTIONS);
    const given = onePositional(args, "job ID");
    const verbose = !!args.values.verbose;
    return withJobClient(args, io, "fail", async (client) => {
      const jobId = (await readJob(client, given)).ID;
      const deployment = (await client.jobs.latestDeployment(jobId)).data;
      if (!deployment) throw new JobCommandError(`job "${jobId}" has no deployment to fail`);
      if (isDeploymentTerminal(deployment.Status))
        throw new JobCommandError(
          `the latest deployment of job "${jobId}" (${idOf(deployment.ID, verbose)}) is already ${deployment.Status}`,
        );
      await failAndFollow(client, io, args, jobId, deployment);
      return 0;
    });
  },
};

/**
 * Fails `deployment`; unless -detach follows the evaluation and, when
 * auto-revert registered the stable version again, that version's rollout.
 * Shared by `drover job fail` and `drover deployment fail`.
 */
export async function failAndFollow(
  client: NomadClient,
  io: CommandIO,
  args: ParsedArgs,
  jobId: string,
  deployment: Deployment,
): Promise<void> {
  const verbose = !!args.values.verbose;
  const res = await callNomad(`Error failing deployment ${idOf(deployment.ID, verbose)} of job "${jobId}"`, () =>
    client.deployments.fail(deployment.ID),
  );
  const reverted = res.data.RevertedJobVersion;
  const revertedTo = typeof reverted === "number";
  io.out.write(
    `==> Deployment ${idOf(deployment.ID, verbose)} of job "${jobId}" failed${revertedTo ? `; auto-reverted to job version ${reverted}` : ""}\n`,
  );
  if (args.values.detach) {
    if (res.data.EvalID) io.out.write(`Evaluation ID: ${idOf(res.data.EvalID, verbose)}\n`);
    return;
  }
  const job = await readJob(client, jobId);
  if (res.data.EvalID) await followAfter(client, io, args, job, { evalId: res.data.EvalID, evaluationOnly: true });
  if (revertedTo) {
    // The revert registered the stable spec as a new version: follow that registration's evaluation and deployment.
    const evals = (await client.jobs.evaluations(jobId)).data ?? [];
    const registration = evals
      .filter((e) => e.JobModifyIndex === job.JobModifyIndex && e.ID !== res.data.EvalID)
      .sort((a, b) => a.CreateIndex - b.CreateIndex)[0];
    io.out.write(`==> Job "${jobId}" version ${job.Version} (the spec of version ${reverted}) is rolling out\n`);
    await followAfter(client, io, args, job, { evalId: registration?.ID ?? "", jobModifyIndex: job.JobModifyIndex });
  }
}
