/** `drover alloc status ALLOC`: one allocation's facts, checks and task states, as `nomad alloc status`. */
import type { CommandIO } from "../../command";
import { renderAllocStatus } from "../../render/status-alloc";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { onePositional, parseJobArgs } from "../subcommand-common";
import { ALLOC_ARGUMENT, withAlloc } from "./common";

/** The `drover alloc status` subcommand. */
export const subcommand: Subcommand = {
  name: "status",
  summary: "Show an allocation's status, checks and task events",
  usage: subcommandUsage(`Usage: drover alloc status [options] ALLOC

The allocation's facts, its nomad service checks, and per task its state,
resources and recent events (as \`nomad alloc status\`).
${ALLOC_ARGUMENT}

Options:
  -verbose           Full IDs, absolute times, the placement metrics.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { verbose: { type: "boolean" } });
    const given = onePositional(args, "allocation");
    return withAlloc(args, io, "alloc status", given, async (client, alloc) => {
      const scope = { namespace: alloc.Namespace };
      const running = alloc.ClientStatus === "running";
      const [stats, checks, followup] = await Promise.all([
        running
          ? client.client
              .allocationStats(alloc.ID, scope)
              .then((r) => r.data)
              .catch(() => null)
          : Promise.resolve(null),
        client.client
          .allocationChecks(alloc.ID, scope)
          .then((r) => r.data)
          .catch(() => null),
        alloc.FollowupEvalID
          ? client.evaluations
              .info(alloc.FollowupEvalID, scope)
              .then((r) => r.data)
              .catch(() => null)
          : Promise.resolve(null),
      ]);
      const waitUntil = followup?.WaitUntil ? Date.parse(followup.WaitUntil) : NaN;
      const view = { alloc, stats, checks, followupWaitUntilMs: Number.isFinite(waitUntil) && waitUntil > 0 ? waitUntil : null };
      io.out.write(renderAllocStatus(view, { nowMs: Date.now(), verbose: Boolean(args.values.verbose) }));
      return 0;
    });
  },
};
