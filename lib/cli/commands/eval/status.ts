/** `drover eval status EVAL`: one evaluation, as `nomad eval status`. */
import type { CommandIO } from "../../command";
import { monitorEvaluation } from "../../eval-monitor";
import { renderEvalStatus } from "../../render/evaluation";
import { LookupError, resolveEval } from "../../render/status-lookup";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, JobCommandError, onePositional, parseJobArgs, withClient } from "../subcommand-common";

/** The `drover eval status` subcommand. */
export const subcommand: Subcommand = {
  name: "status",
  summary: "Show an evaluation's status and why placements failed",
  usage: subcommandUsage(`Usage: drover eval status [options] EVAL

Shows the evaluation EVAL (an ID or a unique prefix of at least two
characters): its status, trigger, job, priority, the scheduler's plan
annotations, the allocations it placed, and per task group why placements
failed.

Options:
  -monitor           Follow the evaluation until it ends, as drover job stop
                     does (exit 1 when it failed to place everything).
  -json              Print the evaluation as JSON.
  -verbose           Full IDs, absolute times, every plan annotation column.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { monitor: { type: "boolean" }, json: { type: "boolean" }, verbose: { type: "boolean" } });
    const given = onePositional(args, "evaluation ID");
    const verbose = !!args.values.verbose;
    return withClient(args, io, "eval status", async (client) => {
      let stub;
      try {
        stub = await resolveEval(client, given, verbose);
      } catch (err) {
        if (err instanceof LookupError) throw new JobCommandError(err.message);
        throw err;
      }
      const scope = { namespace: stub.Namespace };
      if (args.values.monitor) return monitorEvaluation(client, io, stub.ID, { verbose, namespace: stub.Namespace });
      const evaluation = (await callNomad("Error querying evaluation", () => client.evaluations.info(stub.ID, scope))).data;
      if (args.values.json) {
        io.out.write(`${JSON.stringify(evaluation, null, 4)}\n`);
        return 0;
      }
      const placed = (await callNomad("Error querying related allocations", () => client.evaluations.allocations(stub.ID, scope))).data;
      io.out.write(renderEvalStatus({ evaluation, placed: placed ?? [] }, { nowMs: Date.now(), verbose }));
      return 0;
    });
  },
};
