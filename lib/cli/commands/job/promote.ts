/** `drover job promote JOB [-group G …]`: promotes the canaries of the job's latest deployment, as `nomad job promote`. */
import type { CommandIO } from "../../command";
import { isDeploymentTerminal } from "../../../api";
import type { Deployment, NomadClient, ReadBackJob } from "../../../api";
import type { ParsedArgs } from "../../args";
import { canaryStatus } from "../../../plan";
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

const USAGE = subcommandUsage(`Usage: drover job promote [options] JOB

Promotes the canaries of JOB's latest deployment: the groups' rolling update
goes on past the canaries. Every promoted group's canaries must be healthy.
Then, unless -detach, follows the evaluation and the rest of the deployment
with the same progress display as drover apply.

Options:
  -group G           Promote only group G; may be given several times.
                     Default: every group with canaries.
${FOLLOW_USAGE}
`);

/** The `drover job promote` subcommand. */
export const subcommand: Subcommand = {
  name: "promote",
  summary: "Promote the canaries of a job's latest deployment",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { ...FOLLOW_OPTIONS, group: { type: "string", multiple: true } });
    const given = onePositional(args, "job ID");
    const groups = (args.values.group as string[] | undefined) ?? [];
    const verbose = !!args.values.verbose;
    return withJobClient(args, io, "promote", async (client) => {
      const job = await readJob(client, given);
      const jobId = job.ID;
      const deployment = (await client.jobs.latestDeployment(jobId)).data;
      if (!deployment) throw new JobCommandError(`job "${jobId}" has no deployment to promote`);
      if (isDeploymentTerminal(deployment.Status))
        throw new JobCommandError(
          `the latest deployment of job "${jobId}" (${idOf(deployment.ID, verbose)}) is ${deployment.Status}: nothing to promote`,
        );
      await promoteAndFollow(client, io, args, job, deployment, groups);
      return 0;
    });
  },
};

/**
 * Promotes the canaries of `deployment` (all groups, or `groups`), then
 * follows the evaluation and the rest of the deployment unless -detach. Shared
 * by `drover job promote` and `drover deployment promote`.
 */
export async function promoteAndFollow(
  client: NomadClient,
  io: CommandIO,
  args: ParsedArgs,
  job: ReadBackJob,
  deployment: Deployment,
  groups: string[],
): Promise<void> {
  const verbose = !!args.values.verbose;
  const jobId = job.ID;
  const status = canaryStatus(deployment);
  for (const g of groups) {
    if (!deployment.TaskGroups?.[g])
      throw new JobCommandError(
        `deployment ${idOf(deployment.ID, verbose)} of job "${jobId}" has no group "${g}" (groups: ${
          Object.keys(deployment.TaskGroups ?? {})
            .sort()
            .join(", ") || "none"
        })`,
      );
  }
  if (!status.groups.length)
    throw new JobCommandError(`deployment ${idOf(deployment.ID, verbose)} of job "${jobId}" has no canaries to promote`);
  const res = await callNomad(`Error promoting deployment ${idOf(deployment.ID, verbose)} of job "${jobId}"`, () =>
    groups.length ? client.deployments.promoteGroups(deployment.ID, groups) : client.deployments.promoteAll(deployment.ID),
  );
  io.out.write(
    `==> Deployment ${idOf(deployment.ID, verbose)} of job "${jobId}": promoted ${groups.length ? groups.join(", ") : status.unpromoted.join(", ") || "all groups"}\n`,
  );
  if (res.data.EvalID) await followAfter(client, io, args, job, { evalId: res.data.EvalID, deploymentId: deployment.ID });
}
