/** `drover destroy`: stops a job in Nomad, or purges it. */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import { destroyJob, readLiveJob } from "../../plan";
import { ProgressRenderer } from "../render/progress";
import { clientFromArgs, confirm, CONNECTION_OPTIONS, CONNECTION_USAGE, reportError } from "../render/shared";

const USAGE = `Usage: drover destroy [options] JOB

Deregisters JOB: its allocations are stopped. The job stays visible as
stopped (as nomad job stop does) unless --purge removes it and its history.

Options:
  --purge            Remove the job from Nomad's state entirely.
  --yes, -y          Do not ask for confirmation. Required when not on a terminal.
${CONNECTION_USAGE}

Exit codes: 0 destroyed (or absent), 1 failure or not confirmed, 2 usage error.`;

/** The `drover destroy` command. */
export const command: Command = {
  name: "destroy",
  summary: "Stop (or purge) a job in Nomad",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(argv, { ...CONNECTION_OPTIONS, purge: { type: "boolean" }, yes: { type: "boolean", short: "y" } });
    if (args.positionals.length !== 1) throw new UsageError(`expected exactly one job ID, got ${args.positionals.length}`);
    const [jobId] = args.positionals;
    const purge = !!args.values.purge;
    let client;
    try {
      client = clientFromArgs(args, io);
      const namespace = client.config.namespace ?? "default";
      const live = await readLiveJob(client, { id: jobId, namespace, region: client.config.region });
      if (!live) {
        io.out.write(`Job "${jobId}" does not exist in namespace "${namespace}"; nothing to do.\n`);
        return 0;
      }
      if (!args.values.yes) {
        if (!io.isTTY) {
          io.err.write(`drover destroy: not destroying "${jobId}": there is no terminal to ask for confirmation on; pass --yes\n`);
          return 1;
        }
        if (!(await confirm(io, `${purge ? "Purge" : "Stop"} job "${jobId}" in namespace "${namespace}"?`))) {
          io.err.write("drover destroy: cancelled, nothing was changed\n");
          return 1;
        }
      }
      const progress = new ProgressRenderer(io.out, io.isTTY);
      await destroyJob(client, jobId, { purge, namespace, region: client.config.region, onProgress: progress.handle });
      return 0;
    } catch (err) {
      return reportError(err, io, "destroy");
    } finally {
      await client?.close();
    }
  },
};
