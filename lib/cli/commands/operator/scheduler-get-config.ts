/** `drover operator scheduler get-config`: the scheduler configuration, as `nomad operator scheduler get-config` prints it. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { SchedulerConfiguration } from "../../../api";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** The `key = value` lines of a scheduler configuration. */
function renderSchedulerConfig(c: SchedulerConfiguration): string {
  const rows: [string, string][] = [
    ["Scheduler Algorithm", c.SchedulerAlgorithm],
    ["Memory Oversubscription", String(c.MemoryOversubscriptionEnabled)],
    ["Reject Job Registration", String(c.RejectJobRegistration)],
    ["Pause Eval Broker", String(c.PauseEvalBroker)],
    ["Preemption System Scheduler", String(c.PreemptionConfig.SystemSchedulerEnabled)],
    ["Preemption Service Scheduler", String(c.PreemptionConfig.ServiceSchedulerEnabled)],
    ["Preemption Batch Scheduler", String(c.PreemptionConfig.BatchSchedulerEnabled)],
    ["Preemption SysBatch Scheduler", String(c.PreemptionConfig.SysBatchSchedulerEnabled)],
    ["Modify Index", String(c.ModifyIndex)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)} = ${v}\n`).join("");
}

/** The `drover operator scheduler get-config` subcommand. */
export const subcommand: Subcommand = {
  name: "scheduler get-config",
  summary: "Show the scheduler configuration",
  usage: subcommandUsage(`Usage: drover operator scheduler get-config [options]

Shows the scheduler configuration (GET /v1/operator/scheduler/configuration).

Options:
  -json              Print it as JSON.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { json: { type: "boolean" } });
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    return withClient(args, io, "operator scheduler get-config", async (client) => {
      const c = (await client.operator.schedulerConfiguration()).data.SchedulerConfig;
      io.out.write(args.values.json ? `${JSON.stringify(c, null, 2)}\n` : renderSchedulerConfig(c));
      return 0;
    });
  },
};
