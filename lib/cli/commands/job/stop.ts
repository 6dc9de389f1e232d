/** `drover job stop JOB...`: deregisters jobs and monitors their evaluations, as `nomad job stop`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { destroyJob } from "../../../plan";
import { monitorEvaluation } from "../../eval-monitor";
import { confirmYesNo } from "../../prompt";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { callNomad, JobCommandError, parseCount, parseJobArgs, readJob, stringFlag, withJobClient } from "../subcommand-common";

/** The `drover job stop` subcommand. */
export const subcommand: Subcommand = {
  name: "stop",
  summary: "Stop (or purge) jobs and monitor their evaluations",
  usage: subcommandUsage(`Usage: drover job stop [options] JOB...

Stops each job JOB (an ID or a unique prefix of one): deregisters it, then
monitors the deregistration's evaluation as nomad job stop does, until the
evaluation is complete (the allocations are then told to stop; \`drover
destroy\` also waits until they have), and the job's latest deployment,
which the evaluation names, until it ends. A deployment that the stop
cancelled is what was asked for: exit 0 (nomad exits 1 there). The job
stays visible as stopped unless -purge. Children of a periodic or
parameterized job are left running, as Nomad leaves them (\`drover
destroy\` stops them too).

When JOB is a prefix of the job's ID, or the job is multiregion and -global
is not given, asks first (y/N) unless -yes; without a terminal it refuses
instead of asking.

Options:
  -purge             Remove the job and its history from Nomad's state.
  -detach            Print the evaluation ID and return without monitoring.
  -global            Stop a multiregion job in every region it lists.
  -eval-priority N   Priority (1-100) of the deregistration's evaluation
                     (default: the job's priority).
  -yes               Do not ask.
  -verbose           Print full IDs.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      purge: { type: "boolean" },
      detach: { type: "boolean" },
      global: { type: "boolean" },
      "eval-priority": { type: "string" },
      yes: { type: "boolean" },
      verbose: { type: "boolean" },
    });
    if (args.positionals.length === 0) throw new UsageError("expected at least one job ID");
    const priorityFlag = stringFlag(args, "eval-priority");
    const evalPriority = priorityFlag === undefined ? undefined : parseCount(priorityFlag, "-eval-priority");
    const verbose = !!args.values.verbose;
    return withJobClient(args, io, "stop", async (client) => {
      let code = 0;
      for (const given of args.positionals) {
        const job = await readJob(client, given);
        const single = args.positionals.length === 1;
        const questions: string[] = [];
        if (single && given !== job.ID) questions.push(`Are you sure you want to stop job ${JSON.stringify(job.ID)}?`);
        if (single && job.Multiregion && !args.values.global)
          questions.push(`Are you sure you want to stop multi-region job ${JSON.stringify(job.ID)} in a single region?`);
        if (!args.values.yes) {
          for (const question of questions) {
            if (!io.isTTY)
              throw new JobCommandError(
                `not stopping job ${JSON.stringify(job.ID)}: ${question} There is no terminal to ask on; pass -yes`,
              );
            if (!(await confirmYesNo(io, question))) {
              io.out.write("Cancelling job stop\n");
              return code;
            }
          }
        }
        const r = await callNomad(`Error deregistering job with id ${given}`, () =>
          destroyJob(client, job.ID, {
            purge: !!args.values.purge,
            namespace: job.Namespace,
            stopChildren: false,
            detach: true,
            evalPriority,
            global: !!args.values.global,
          }),
        );
        if (!r.evalId) continue;
        if (args.values.detach) {
          io.out.write(`${r.evalId}\n`);
          continue;
        }
        code = Math.max(
          code,
          await monitorEvaluation(client, io, r.evalId, {
            verbose,
            namespace: job.Namespace,
            okDeploymentStatuses: ["successful", "cancelled"],
          }),
        );
      }
      return code;
    });
  },
};
