/** `drover deployment pause|resume DEPLOYMENT`: as `nomad deployment pause` and `nomad deployment resume`. */
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import { callNomad, idOf, parseJobArgs } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { withDeployment } from "./common";

function pauseCommand(pause: boolean): Subcommand {
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
      return withDeployment(args, io, `deployment ${name}`, async (client, d) => {
        await callNomad(`Error ${pause ? "pausing" : "resuming"} deployment ${idOf(d.ID, !!args.values.verbose)}`, () =>
          client.deployments.pause(d.ID, pause),
        );
        io.out.write(`==> Deployment ${idOf(d.ID, !!args.values.verbose)} of job "${d.JobID}" ${pause ? "paused" : "resumed"}\n`);
        return 0;
      });
    },
  };
}

/** The `drover deployment pause` subcommand. */
export const subcommand: Subcommand = pauseCommand(true);

/** The `drover deployment resume` subcommand. */
export const resume: Subcommand = pauseCommand(false);
