/** `drover status [JOB]`: the jobs of the cluster, or one job's summary, latest deployment and allocations, as `nomad job status` shows them. */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import { NomadApiError, type JobListStub } from "../../api";
import { clientFromArgs, CONNECTION_OPTIONS, CONNECTION_USAGE } from "../connection";
import { renderJobList, renderJobStatus } from "../render/status-job";
import { reportStatusError, resolveJob } from "../render/status-lookup";
import { periodicNext, type PeriodicTiming } from "../../runtime/server/periodic-next";
import { nomadStyleFlags } from "../render/status-flags";

const USAGE = `Usage: drover status [options] [JOB]

Without JOB, lists the jobs. With JOB (an ID or a unique prefix of one),
shows the job as \`nomad job status\` does: its facts, the allocation
summary per task group, the latest deployment and the allocations.

Options:
  -verbose, --verbose  Full IDs and absolute times.
${CONNECTION_USAGE}

Exit codes: 0 shown, 1 no such job (or an API error), 2 usage error.`;

/** The `drover status` command. */
export const command: Command = {
  name: "status",
  summary: "Show the jobs, or one job's allocations and deployment",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(nomadStyleFlags(argv, ["verbose"]), { ...CONNECTION_OPTIONS, verbose: { type: "boolean" } });
    if (args.positionals.length > 1) throw new UsageError(`expected at most one job, got ${args.positionals.length}`);
    const verbose = Boolean(args.values.verbose);
    let client;
    try {
      client = clientFromArgs(args, io);
      const allNamespaces = client.config.namespace === "*";
      if (args.positionals.length === 0) {
        io.out.write(renderJobList((await client.jobs.list()).data, allNamespaces));
        return 0;
      }
      const stub = await resolveJob(client, args.positionals[0]);
      const opts = { namespace: stub.Namespace };
      const [job, summary, deployment, allocations, evaluations] = await Promise.all([
        client.jobs.info(stub.ID, opts),
        client.jobs.summary(stub.ID, opts).catch(() => null),
        client.jobs.latestDeployment(stub.ID, opts).catch((err: unknown) => {
          if (err instanceof NomadApiError && err.status === 404) return null;
          throw err;
        }),
        client.jobs.allocations(stub.ID, opts),
        client.jobs.evaluations(stub.ID, opts).catch(() => null),
      ]);
      const now = Date.now();
      const periodic = job.data.Periodic as PeriodicTiming | null | undefined;
      const child = Boolean(job.data.ParentID);
      const parameterized = !child && !job.data.Dispatched && job.data.ParameterizedJob !== null && job.data.ParameterizedJob !== undefined;
      let children: JobListStub[] = [];
      let nextLaunchMs: number | null = null;
      if (!child && (parameterized || (periodic && periodic.Enabled !== false))) {
        const suffix = parameterized ? "/dispatch-" : "/periodic-";
        children = (await client.jobs.list({ ...opts, prefix: `${stub.ID}${suffix}` })).data;
        if (!parameterized && periodic) {
          try {
            nextLaunchMs = periodicNext(periodic, now);
          } catch {
            nextLaunchMs = null;
          }
        }
      }
      const view = {
        job: job.data,
        summary: summary?.data ?? null,
        deployment: deployment?.data ?? null,
        allocations: allocations.data,
        evaluations: evaluations?.data ?? [],
        children,
        nextLaunchMs,
      };
      io.out.write(renderJobStatus(view, { nowMs: now, verbose }));
      return 0;
    } catch (err) {
      return reportStatusError(err, io, "status");
    } finally {
      await client?.close();
    }
  },
};
