/** `drover operator scheduler set-config`: changes the scheduler configuration, as `nomad operator scheduler set-config`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { parseCount, parseJobArgs, stringFlag, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

function boolFlag(value: string | undefined, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UsageError(`-${flag} must be true or false, got "${value}"`);
}

type PreemptionSwitch = "BatchSchedulerEnabled" | "ServiceSchedulerEnabled" | "SysBatchSchedulerEnabled" | "SystemSchedulerEnabled";

/** Nomad's `-preempt-*-scheduler` flags and the `PreemptionConfig` switch each sets. */
const PREEMPT_FLAGS: [string, PreemptionSwitch][] = [
  ["preempt-batch-scheduler", "BatchSchedulerEnabled"],
  ["preempt-service-scheduler", "ServiceSchedulerEnabled"],
  ["preempt-sysbatch-scheduler", "SysBatchSchedulerEnabled"],
  ["preempt-system-scheduler", "SystemSchedulerEnabled"],
];

/** The `drover operator scheduler set-config` subcommand. */
export const subcommand: Subcommand = {
  name: "scheduler set-config",
  summary: "Change the scheduler configuration",
  usage: subcommandUsage(`Usage: drover operator scheduler set-config [options]

Changes the settings given and keeps the others
(PUT /v1/operator/scheduler/configuration).

Options:
  -scheduler-algorithm binpack|spread
  -memory-oversubscription true|false
  -reject-job-registration true|false
  -pause-eval-broker true|false
  -preempt-batch-scheduler true|false
  -preempt-service-scheduler true|false
  -preempt-sysbatch-scheduler true|false
  -preempt-system-scheduler true|false
                     Let jobs of that type evict lower-priority allocations.
  -check-index N     Change only if the configuration's Modify Index is still N.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const names = [
      "scheduler-algorithm",
      "memory-oversubscription",
      "reject-job-registration",
      "pause-eval-broker",
      "check-index",
      ...PREEMPT_FLAGS.map(([flag]) => flag),
    ];
    const args = parseJobArgs(argv, Object.fromEntries(names.map((n) => [n, { type: "string" as const }])));
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    const alg = stringFlag(args, "scheduler-algorithm");
    if (alg !== undefined && alg !== "binpack" && alg !== "spread")
      throw new UsageError(`-scheduler-algorithm must be binpack or spread, got "${alg}"`);
    const mem = boolFlag(stringFlag(args, "memory-oversubscription"), "memory-oversubscription");
    const reject = boolFlag(stringFlag(args, "reject-job-registration"), "reject-job-registration");
    const pause = boolFlag(stringFlag(args, "pause-eval-broker"), "pause-eval-broker");
    const preempt: Partial<Record<PreemptionSwitch, boolean>> = {};
    for (const [flag, key] of PREEMPT_FLAGS) {
      const v = boolFlag(stringFlag(args, flag), flag);
      if (v !== undefined) preempt[key] = v;
    }
    const casText = stringFlag(args, "check-index");
    const cas = casText === undefined ? undefined : parseCount(casText, "-check-index");
    return withClient(args, io, "operator scheduler set-config", async (client) => {
      const current = (await client.operator.schedulerConfiguration()).data.SchedulerConfig;
      const r = await client.operator.setSchedulerConfiguration(
        {
          SchedulerAlgorithm: alg ?? current.SchedulerAlgorithm,
          PreemptionConfig: { ...current.PreemptionConfig, ...preempt },
          MemoryOversubscriptionEnabled: mem ?? current.MemoryOversubscriptionEnabled,
          RejectJobRegistration: reject ?? current.RejectJobRegistration,
          PauseEvalBroker: pause ?? current.PauseEvalBroker,
        },
        cas,
      );
      if (!r.Updated) {
        io.err.write("drover operator scheduler set-config: Scheduler configuration could not be atomically updated, please try again\n");
        return 1;
      }
      io.out.write("Scheduler configuration updated!\n");
      return 0;
    });
  },
};
