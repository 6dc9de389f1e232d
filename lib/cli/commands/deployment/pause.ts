/** `drover deployment pause|resume DEPLOYMENT`: as `nomad deployment pause` and `nomad deployment resume`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { JobSubcommand } from "../job/common";
import { idOf, JobCommandError, jobClient, nomadMessage, parseJobArgs, reportJobError, subcommandUsage } from "../job/common";
import { resolveDeployment } from "./common";

function pauseCommand(pause: boolean): JobSubcommand {
  const name = pause ? "pause" : "resume";
  return {
    name,
    summary: pause ? "Pause a deployment (no new placements)" : "Resume a paused deployment",
    usage: subcommandUsage(`Usage: drover deployment ${name} [options] DEPLOYMENT

${pause ? "Pauses DEPLOYMENT: Nomad places no further allocations for it until it is resumed." : "Resumes the paused DEPLOYMENT."}

Options:
  -verbose           Print full IDs.
`),
    async run(argv: string[], io: CommandIO): Promise<number> {
      const args = parseJobArgs(argv, { verbose: { type: "boolean" } });
      if (args.positionals.length !== 1) throw new UsageError(`expected exactly one deployment ID, got ${args.positionals.length}`);
      const client = jobClient(args, io);
      try {
        const d = await resolveDeployment(client, args.positionals[0]);
        try {
          await client.deployments.pause(d.ID, pause);
        } catch (err) {
          throw new JobCommandError(`Error ${pause ? "pausing" : "resuming"} deployment ${idOf(d.ID, !!args.values.verbose)}: ${nomadMessage(err)}`);
        }
        io.out.write(`==> Deployment ${idOf(d.ID, !!args.values.verbose)} of job "${d.JobID}" ${pause ? "paused" : "resumed"}\n`);
        return 0;
      } catch (err) {
        return reportJobError(err, io, `deployment ${name}`);
      } finally {
        await client.close();
      }
    },
  };
}

/** The `drover deployment pause` subcommand. */
export const subcommand: JobSubcommand = pauseCommand(true);

/** The `drover deployment resume` subcommand. */
export const resume: JobSubcommand = pauseCommand(false);
