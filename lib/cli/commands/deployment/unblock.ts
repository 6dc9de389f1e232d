/** `drover deployment unblock DEPLOYMENT`: as `nomad deployment unblock` (multiregion deployments). */
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import { callNomad, idOf, parseJobArgs } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { withDeployment } from "./common";

/** The `drover deployment unblock` subcommand. */
export const subcommand: Subcommand = {
  name: "unblock",
  summary: "Mark a blocked multiregion deployment successful",
  usage: subcommandUsage(`Usage: drover deployment unblock [options] DEPLOYMENT

Unblocks DEPLOYMENT, a multiregion deployment that finished in its region and
is blocked waiting for its peer regions (for example after a peer failed with
on_failure "fail_local"): Nomad marks it successful and its job version stable.
Name the deployment's region with --region (or NOMAD_REGION).

Options:
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { verbose: { type: "boolean" } });
    const verbose = !!args.values.verbose;
    return withDeployment(args, io, "deployment unblock", async (client, d) => {
      await callNomad(`Error unblocking deployment ${idOf(d.ID, verbose)}`, () => client.deployments.unblock(d.ID));
      io.out.write(`==> Deployment ${idOf(d.ID, verbose)} of job "${d.JobID}" unblocked\n`);
      return 0;
    });
  },
};
