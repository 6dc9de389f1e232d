/** `drover job revert JOB VERSION`: registers an older version of the job again, as `nomad job revert`. */
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

const USAGE = subcommandUsage(`Usage: drover job revert [options] JOB VERSION|TAG

Registers version VERSION of JOB again (as a new version), or the version
tagged TAG. \`nomad job history JOB\` (or GET /v1/job/JOB/versions) lists the
versions. Unless -detach, follows the evaluation and the deployment with the
same progress display as drover apply.

Options:
  -enforce-prior-version N
                     Revert only if the job's current version is N (Nomad's
                     EnforcePriorVersion of the revert API; the nomad CLI has no
                     flag for it). Guards against reverting over someone else's change.
${FOLLOW_USAGE}
`);

interface VersionTagged {
  Version: number;
  VersionTag?: { Name?: string } | null;
}

/** The `drover job revert` subcommand. */
export const subcommand: Subcommand = {
  name: "revert",
  summary: "Revert a job to an older version",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { ...FOLLOW_OPTIONS, "enforce-prior-version": { type: "string" } });
    if (args.positionals.length !== 2)
      throw new UsageError(
        `expected a job ID and a version (or tag), got ${args.positionals.length} argument${args.positionals.length === 1 ? "" : "s"}`,
      );
    const [given, versionArg] = args.positionals;
    const prior = stringFlag(args, "enforce-prior-version");
    const enforcePriorVersion = prior === undefined ? undefined : parseCount(prior, "-enforce-prior-version");
    return withJobClient(args, io, "revert", async (client) => {
      const current = await readJob(client, given);
      const jobId = current.ID;
      let version: number;
      if (/^\d+$/.test(versionArg)) version = Number(versionArg);
      else {
        // The API's job type leaves VersionTag an open object; the tag's Name is what is read here.
        const versions = (await client.jobs.versions(jobId)).data.Versions as unknown as VersionTagged[];
        const tagged = versions.find((v) => v.VersionTag?.Name === versionArg);
        if (!tagged)
          throw new JobCommandError(`job "${jobId}" has no version tagged "${versionArg}" (give a version number or an existing tag)`);
        version = tagged.Version;
      }
      const res = await callNomad(`Error reverting job "${jobId}" to version ${version}`, () =>
        client.jobs.revert(jobId, version, { enforcePriorVersion }),
      );
      io.out.write(
        `==> Job "${jobId}" reverted to version ${version} (was version ${current.Version}; modify index ${res.data.JobModifyIndex}${res.data.EvalID ? `, evaluation ${idOf(res.data.EvalID, !!args.values.verbose)}` : ""})\n`,
      );
      if (!res.data.EvalID) return 0;
      const job = await readJob(client, jobId);
      await followAfter(client, io, args, job, { evalId: res.data.EvalID, jobModifyIndex: res.data.JobModifyIndex });
      return 0;
    });
  },
};
