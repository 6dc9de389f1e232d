/**
 * One case per validation rule: a failing job with the exact path, message
 * and rule id, and a passing variant of the same job. Each case edits a
 * fresh minimal valid job.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Job } from "../../lib/jobspec";
import { validateJob } from "../../lib/jobspec";
import { lines, minimalJob } from "./helpers";

type Edit = (j: Job & Record<string, any>) => void;
type G = Record<string, any>;

interface RuleCase {
  /** The rule id. */
  rule: string;
  /** The job type to start from. */
  type?: "service" | "batch" | "system" | "sysbatch";
  /** Makes the job violate the rule. */
  bad: Edit;
  /** The problem expected, "path: message" (several when one mistake necessarily breaks two rules). */
  problem: string | string[];
  /** Makes the job satisfy the rule (applied instead of bad). */
  good: Edit;
}

const group = (j: Job): G => j.TaskGroups![0] as G;
const task = (j: Job): G => group(j).Tasks[0] as G;
const S = 1_000_000_000;

const cases: RuleCase[] = [
  // Job (nomad/structs/structs.go (*Job).Validate)
  { rule: "job.id.required", bad: (j) => (j.ID = ""), problem: "Job.ID: missing job ID", good: (j) => (j.ID = "x") },
  {
    rule: "job.id.space",
    bad: (j) => (j.ID = "my job"),
    problem: 'Job.ID: job ID "my job" contains a space',
    good: (j) => (j.ID = "my-job"),
  },
  {
    rule: "job.id.nul",
    bad: (j) => ((j.ID = "a\0b"), (j.Name = "ab")),
    problem: "Job.ID: job ID contains a null character",
    good: (j) => (j.ID = "ab"),
  },
  {
    rule: "job.name.nul",
    bad: (j) => (j.Name = "a\0b"),
    problem: "Job.Name: job Name contains a null character",
    good: (j) => (j.Name = "ab"),
  },
  {
    rule: "job.priority.range",
    bad: (j) => (j.Priority = 101),
    problem: "Job.Priority: job priority must be between 1 and 100 (got 101)",
    good: (j) => (j.Priority = 100),
  },
  {
    rule: "job.datacenter.empty",
    bad: (j) => (j.Datacenters = ["dc1", ""]),
    problem: 'Job.Datacenters[1]: a datacenter must be a non-empty string (globs such as "dc*" are allowed)',
    good: (j) => (j.Datacenters = ["dc1", "dc*"]),
  },
  {
    rule: "job.groups.required",
    bad: (j) => (j.TaskGroups = []),
    problem: "Job.TaskGroups: a job needs at least one task group",
    good: () => undefined,
  },
  {
    rule: "job.type.required",
    bad: (j) => ((j as G).Type = ""),
    problem: 'Job.Type: must be one of "service", "batch", "system", "sysbatch" (got "")',
    good: (j) => (j.Type = "batch"),
  },
  {
    rule: "job.ui.description",
    bad: (j) => (j.UI = { Description: "x".repeat(1001) }),
    problem: "Job.UI.Description: UI description must be under 1000 characters, currently 1001",
    good: (j) => (j.UI = { Description: "x".repeat(999) }),
  },
  // Groups
  {
    rule: "group.name.required",
    bad: (j) => (group(j).Name = ""),
    problem: "Job.TaskGroups[0].Name: missing task group name",
    good: (j) => (group(j).Name = "g"),
  },
  {
    rule: "group.name.duplicate",
    bad: (j) => j.TaskGroups!.push(structuredClone(j.TaskGroups![0])),
    problem: 'Job.TaskGroups[1].Name: task group "app" is already defined by group 0',
    good: (j) => j.TaskGroups!.push({ ...structuredClone(j.TaskGroups![0]), Name: "other" }),
  },
  {
    rule: "group.count.negative",
    bad: (j) => (group(j).Count = -1),
    problem: "Job.TaskGroups[0].Count: task group count can't be negative (got -1)",
    good: (j) => (group(j).Count = 0),
  },
  {
    rule: "system.count",
    type: "system",
    bad: (j) => (group(j).Count = 2),
    problem: "Job.TaskGroups[0].Count: system jobs run one allocation per node: Count must be 0 or 1 (got 2)",
    good: (j) => (group(j).Count = 1),
  },
  {
    rule: "group.tasks.required",
    bad: (j) => (group(j).Tasks = []),
    problem: "Job.TaskGroups[0].Tasks: missing tasks for task group",
    // A Consul Connect gateway group has no task of its own: Nomad adds the gateway task.
    good: (j) => {
      group(j).Tasks = [];
      group(j).Networks = [{ Mode: "bridge" }];
      group(j).Services = [
        {
          Name: "ingress",
          PortLabel: "8080",
          Connect: { Gateway: { Ingress: { Listeners: [{ Port: 8080, Protocol: "tcp", Services: [{ Name: "web" }] }] } } },
        },
      ];
    },
  },
  {
    rule: "group.max-run-duration.job-type",
    bad: (j) => (group(j).MaxRunDuration = 60 * S),
    problem: 'Job.TaskGroups[0].MaxRunDuration: job type "service" does not allow MaxRunDuration (only batch and sysbatch)',
    good: (j) => (j.Type = "batch"),
  },
  {
    rule: "group.max-run-duration.positive",
    type: "batch",
    bad: (j) => (group(j).MaxRunDuration = 0),
    problem: "Job.TaskGroups[0].MaxRunDuration: MaxRunDuration must be greater than zero",
    good: (j) => (group(j).MaxRunDuration = 60 * S),
  },
  {
    rule: "group.leader.multiple",
    bad: (j) => {
      group(j).Tasks.push({ ...structuredClone(task(j)), Name: "b" });
      for (const t of group(j).Tasks) t.Leader = true;
    },
    problem: "Job.TaskGroups[0].Tasks: only one task may be marked as leader",
    good: (j) => (task(j).Leader = true),
  },
  {
    rule: "group.main-task.required",
    bad: (j) => (task(j).Lifecycle = { Hook: "prestart" }),
    problem: 'Job.TaskGroups[0].Tasks: task group "app" must have at least one main task (a task without a Lifecycle block)',
    good: () => undefined,
  },
  {
    rule: "ephemeral-disk.size.min",
    bad: (j) => ((group(j).EphemeralDisk = { SizeMB: 5 }), (task(j).LogConfig = { MaxFiles: 1, MaxFileSizeMB: 1 })),
    problem: "Job.TaskGroups[0].EphemeralDisk.SizeMB: minimum SizeMB value is 10; got 5",
    good: (j) => (group(j).EphemeralDisk = { SizeMB: 500 }),
  },
  // System restrictions
  {
    rule: "system.affinity",
    type: "system",
    bad: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a", Operand: "=" }]),
    problem: "Job.Affinities: system jobs may not have affinities",
    good: (j) => (j.Affinities = null),
  },
  {
    rule: "system.spread",
    type: "system",
    bad: (j) => (group(j).Spreads = [{ Attribute: "${node.datacenter}" }]),
    problem: "Job.TaskGroups[0].Spreads: system jobs may not have spreads",
    good: (j) => (group(j).Spreads = []),
  },
  {
    rule: "system.scaling",
    type: "system",
    bad: (j) => (group(j).Scaling = { Min: 0, Max: 1 }),
    problem: "Job.TaskGroups[0].Scaling: system jobs do not support a scaling block",
    good: (j) => (j.Type = "service"),
  },
  {
    rule: "reschedule.job-type",
    type: "sysbatch",
    bad: (j) => (group(j).ReschedulePolicy = { Attempts: 1 }),
    problem: "Job.TaskGroups[0].ReschedulePolicy: system or sysbatch jobs should not have a reschedule policy",
    good: (j) => (j.Type = "batch"),
  },
  // Update / migrate by type
  {
    rule: "update.job-type",
    type: "batch",
    bad: (j) => (group(j).Update = { Canary: 1 }),
    problem: 'Job.TaskGroups[0].Update: job type "batch" does not allow an update block (only service and system jobs)',
    good: (j) => (j.Type = "service"),
  },
  {
    rule: "migrate.job-type",
    type: "batch",
    bad: (j) => (j.Migrate = { MaxParallel: 2 }),
    problem: 'Job.Migrate: job type "batch" does not allow a migrate block (only service jobs)',
    good: (j) => (j.Type = "service"),
  },
  // Update strategy ((*UpdateStrategy).Validate)
  {
    rule: "update.max-parallel.negative",
    bad: (j) => (group(j).Update = { MaxParallel: -1 }),
    problem: "Job.TaskGroups[0].Update.MaxParallel: max parallel can not be less than zero (got -1)",
    good: (j) => (group(j).Update = { MaxParallel: 0 }),
  },
  {
    rule: "update.canary.negative",
    bad: (j) => (group(j).Update = { Canary: -1 }),
    problem: "Job.TaskGroups[0].Update.Canary: canary count can not be less than zero (got -1)",
    good: (j) => (group(j).Update = { Canary: 2 }),
  },
  {
    rule: "update.auto-promote.canary",
    bad: (j) => (j.Update = { AutoPromote: true }),
    problem: "Job.Update.AutoPromote: auto promote requires a Canary count greater than zero",
    good: (j) => (j.Update = { AutoPromote: true, Canary: 1 }),
  },
  {
    rule: "update.min-healthy-time.deadline",
    bad: (j) => (group(j).Update = { MinHealthyTime: 300 * S }),
    problem: "Job.TaskGroups[0].Update.MinHealthyTime: minimum healthy time (5m0s) must be less than the healthy deadline (5m0s)",
    good: (j) => (group(j).Update = { MinHealthyTime: 299 * S }),
  },
  {
    rule: "update.progress-deadline.healthy",
    bad: (j) => (group(j).Update = { HealthyDeadline: 600 * S }),
    problem:
      "Job.TaskGroups[0].Update.ProgressDeadline: healthy deadline (10m0s) must be less than the progress deadline (10m0s), or set the progress deadline to 0",
    good: (j) => (group(j).Update = { HealthyDeadline: 600 * S, ProgressDeadline: 0 }),
  },
  {
    rule: "update.stagger.positive",
    bad: (j) => (group(j).Update = { Stagger: 0 }),
    problem: "Job.TaskGroups[0].Update.Stagger: stagger must be greater than zero (got 0s)",
    good: (j) => (group(j).Update = { Stagger: S }),
  },
  // Migrate ((*MigrateStrategy).Validate)
  {
    rule: "migrate.max-parallel.negative",
    bad: (j) => (group(j).Migrate = { MaxParallel: -2 }),
    problem: "Job.TaskGroups[0].Migrate.MaxParallel: MaxParallel must be >= 0 (got -2)",
    good: (j) => (group(j).Migrate = { MaxParallel: 2 }),
  },
  {
    rule: "migrate.min-healthy-time.deadline",
    bad: (j) => (group(j).Migrate = { MinHealthyTime: 600 * S }),
    problem: "Job.TaskGroups[0].Migrate.MinHealthyTime: MinHealthyTime (10m0s) must be less than HealthyDeadline (5m0s)",
    good: (j) => (group(j).Migrate = { MinHealthyTime: 60 * S }),
  },
  // Restart policy ((*RestartPolicy).Validate)
  {
    rule: "restart.mode.ambiguous",
    bad: (j) => (group(j).RestartPolicy = { Attempts: 0, Mode: "delay" }),
    problem: 'Job.TaskGroups[0].RestartPolicy.Mode: restart policy "delay" with 0 attempts is ambiguous; use mode "fail"',
    good: (j) => (group(j).RestartPolicy = { Attempts: 0, Mode: "fail" }),
  },
  {
    rule: "restart.interval.min",
    bad: (j) => (group(j).RestartPolicy = { Interval: 4 * S, Attempts: 1, Delay: S }),
    problem: "Job.TaskGroups[0].RestartPolicy.Interval: Interval can not be less than 5s (got 4s)",
    good: (j) => (group(j).RestartPolicy = { Interval: 5 * S, Attempts: 1, Delay: S }),
  },
  {
    rule: "restart.delay.interval",
    bad: (j) => (group(j).RestartPolicy = { Interval: 60 * S, Attempts: 5, Delay: 15 * S }),
    problem:
      "Job.TaskGroups[0].RestartPolicy.Delay: Nomad can't restart 5 times in an interval of 1m0s with a delay of 15s (Attempts × Delay must not exceed Interval)",
    good: (j) => (group(j).RestartPolicy = { Interval: 60 * S, Attempts: 4, Delay: 15 * S }),
  },
  {
    rule: "restart.task",
    bad: (j) => (task(j).RestartPolicy = { Interval: S, Attempts: 0 }),
    problem: "Job.TaskGroups[0].Tasks[0].RestartPolicy.Interval: Interval can not be less than 5s (got 1s)",
    good: (j) => (task(j).RestartPolicy = { Attempts: 1 }),
  },
  // Reschedule policy ((*ReschedulePolicy).Validate)
  {
    rule: "reschedule.delay.min",
    bad: (j) => (group(j).ReschedulePolicy = { Delay: S }),
    problem: "Job.TaskGroups[0].ReschedulePolicy.Delay: Delay cannot be less than 5s (got 1s)",
    good: (j) => (group(j).ReschedulePolicy = { Delay: 5 * S }),
  },
  {
    rule: "reschedule.interval.min",
    type: "batch",
    bad: (j) => (j.Reschedule = { Attempts: 2, Interval: 10 * S }),
    problem: "Job.Reschedule.Interval: Interval cannot be less than 15s (got 10s)",
    good: (j) => (j.Reschedule = { Attempts: 2, Interval: 15 * S }),
  },
  {
    rule: "reschedule.unlimited.attempts",
    bad: (j) => (group(j).ReschedulePolicy = { Attempts: 3, Interval: 3600 * S }),
    problem: "Job.TaskGroups[0].ReschedulePolicy.Unlimited: If Attempts >0, Unlimited cannot also be set to true",
    good: (j) => (group(j).ReschedulePolicy = { Attempts: 3, Interval: 3600 * S, Unlimited: false }),
  },
  {
    rule: "reschedule.max-delay.delay",
    bad: (j) => (group(j).ReschedulePolicy = { Delay: 60 * S, MaxDelay: 30 * S }),
    problem: "Job.TaskGroups[0].ReschedulePolicy.MaxDelay: Max Delay cannot be less than Delay 1m0s (got 30s)",
    good: (j) => (group(j).ReschedulePolicy = { Delay: 60 * S, MaxDelay: 30 * S, DelayFunction: "constant" }),
  },
  // Constraints ((*Constraint).Validate)
  {
    rule: "constraint.operand.required",
    bad: (j) => (j.Constraints = [{ LTarget: "${attr.kernel.name}", RTarget: "linux" }]),
    problem: 'Job.Constraints[0].Operand: missing constraint operand (JSON has no default; HCL defaults it to "=")',
    good: (j) => (j.Constraints = [{ LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" }]),
  },
  {
    rule: "constraint.operand.unknown",
    bad: (j) => (j.Constraints = [{ LTarget: "a", RTarget: "b", Operand: "~=" }]),
    problem: expect.stringContaining('Job.Constraints[0].Operand: unknown constraint operand "~="') as unknown as string,
    good: (j) => (j.Constraints = [{ LTarget: "a", RTarget: "b", Operand: "!=" }]),
  },
  {
    rule: "constraint.rtarget.required",
    bad: (j) => (group(j).Constraints = [{ LTarget: "${node.class}", Operand: ">=" }]),
    problem: 'Job.TaskGroups[0].Constraints[0].RTarget: operator ">=" requires an RTarget',
    good: (j) => (group(j).Constraints = [{ LTarget: "${node.class}", Operand: ">=", RTarget: "2" }]),
  },
  {
    rule: "constraint.ltarget.required",
    bad: (j) => (j.Constraints = [{ RTarget: "x", Operand: "=" }]),
    problem: 'Job.Constraints[0].LTarget: operator "=" requires an LTarget (the attribute to compare)',
    good: (j) => (j.Constraints = [{ Operand: "distinct_hosts", RTarget: "true" }]),
  },
  {
    rule: "constraint.regexp",
    bad: (j) => (j.Constraints = [{ LTarget: "${attr.os.name}", RTarget: "(ubuntu", Operand: "regexp" }]),
    problem: expect.stringMatching(/^Job\.Constraints\[0\]\.RTarget: regular expression failed to compile: /) as unknown as string,
    good: (j) => (j.Constraints = [{ LTarget: "${attr.os.name}", RTarget: "(ubuntu|debian)", Operand: "regexp" }]),
  },
  {
    rule: "constraint.version",
    bad: (j) => (j.Constraints = [{ LTarget: "${attr.kernel.version}", RTarget: ">= 3.x", Operand: "version" }]),
    problem: "Job.Constraints[0].RTarget: Version constraint is invalid: Malformed constraint: >= 3.x",
    good: (j) => (j.Constraints = [{ LTarget: "${attr.kernel.version}", RTarget: ">= 3.19, < 6", Operand: "version" }]),
  },
  {
    rule: "constraint.semver",
    bad: (j) => (j.Constraints = [{ LTarget: "${attr.nomad.version}", RTarget: "~> 1.2", Operand: "semver" }]),
    problem: "Job.Constraints[0].RTarget: Semver constraint is invalid: Malformed constraint: ~> 1.2",
    good: (j) => (j.Constraints = [{ LTarget: "${attr.nomad.version}", RTarget: ">= 1.7.0-beta.1", Operand: "semver" }]),
  },
  {
    rule: "constraint.distinct-property.count",
    bad: (j) => (j.Constraints = [{ LTarget: "${meta.rack}", RTarget: "0", Operand: "distinct_property" }]),
    problem: "Job.Constraints[0].RTarget: distinct_property must allow a count of 1 or greater (got 0)",
    good: (j) => (j.Constraints = [{ LTarget: "${meta.rack}", RTarget: "2", Operand: "distinct_property" }]),
  },
  {
    rule: "constraint.rtarget.forbidden",
    bad: (j) => (j.Constraints = [{ LTarget: "${meta.gpu}", RTarget: "yes", Operand: "is_set" }]),
    problem: 'Job.Constraints[0].RTarget: operator "is_set" does not support an RTarget',
    good: (j) => (j.Constraints = [{ LTarget: "${meta.gpu}", Operand: "is_set" }]),
  },
  {
    rule: "constraint.operand.task-level",
    bad: (j) => (task(j).Constraints = [{ Operand: "distinct_hosts", RTarget: "true" }]),
    problem: "Job.TaskGroups[0].Tasks[0].Constraints[0].Operand: distinct_hosts is not allowed on a task; put it on the group or the job",
    good: (j) => (group(j).Constraints = [{ Operand: "distinct_hosts", RTarget: "true" }]),
  },
  // Affinities ((*Affinity).Validate)
  {
    rule: "affinity.weight.range",
    bad: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a", Operand: "=", Weight: 101 }]),
    problem: "Job.Affinities[0].Weight: affinity weight must be within -100..100 (got 101)",
    good: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a", Operand: "=", Weight: -100 }]),
  },
  {
    rule: "affinity.weight.zero",
    bad: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a", Operand: "=", Weight: 0 }]),
    problem: "Job.Affinities[0].Weight: affinity weight cannot be zero",
    good: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a", Operand: "=" }]),
  },
  {
    rule: "affinity.operand.unknown",
    bad: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a", Operand: "distinct_hosts" }]),
    problem: expect.stringContaining('Job.Affinities[0].Operand: unknown affinity operator "distinct_hosts"') as unknown as string,
    good: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a,b", Operand: "set_contains_any" }]),
  },
  {
    rule: "affinity.ltarget.required",
    bad: (j) => (j.Affinities = [{ RTarget: "a", Operand: "=" }]),
    problem: "Job.Affinities[0].LTarget: no LTarget provided but it is required",
    good: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a", Operand: "=" }]),
  },
  // Spreads ((*Spread).Validate)
  {
    rule: "spread.attribute.required",
    bad: (j) => (j.Spreads = [{ Weight: 10 }]),
    problem: "Job.Spreads[0].Attribute: missing spread attribute",
    good: (j) => (j.Spreads = [{ Attribute: "${node.datacenter}", Weight: 10 }]),
  },
  {
    rule: "spread.weight.range",
    bad: (j) => (j.Spreads = [{ Attribute: "${node.datacenter}", Weight: 0 }]),
    problem: "Job.Spreads[0].Weight: spread weight must be within 1..100 (got 0)",
    good: (j) => (j.Spreads = [{ Attribute: "${node.datacenter}", Weight: 100 }]),
  },
  {
    rule: "spread.target.sum",
    bad: (j) =>
      (j.Spreads = [
        {
          Attribute: "${node.datacenter}",
          SpreadTarget: [
            { Value: "dc1", Percent: 60 },
            { Value: "dc2", Percent: 50 },
          ],
        },
      ]),
    problem: "Job.Spreads[0].SpreadTarget: sum of spread target percentages must not be greater than 100%; got 110%",
    good: (j) =>
      (j.Spreads = [
        {
          Attribute: "${node.datacenter}",
          SpreadTarget: [
            { Value: "dc1", Percent: 60 },
            { Value: "dc2", Percent: 40 },
          ],
        },
      ]),
  },
  {
    rule: "spread.target.duplicate",
    bad: (j) =>
      (j.Spreads = [
        {
          Attribute: "${node.datacenter}",
          SpreadTarget: [
            { Value: "dc1", Percent: 10 },
            { Value: "dc1", Percent: 10 },
          ],
        },
      ]),
    problem: 'Job.Spreads[0].SpreadTarget[1].Value: spread target value "dc1" already defined',
    good: (j) =>
      (j.Spreads = [
        {
          Attribute: "${node.datacenter}",
          SpreadTarget: [
            { Value: "dc1", Percent: 10 },
            { Value: "dc2", Percent: 10 },
          ],
        },
      ]),
  },
  // Periodic ((*PeriodicConfig).Validate)
  {
    rule: "periodic.job-type",
    bad: (j) => (j.Periodic = { Spec: "@daily" }),
    problem: 'Job.Periodic: a periodic job must be of type "batch" or "sysbatch" (got "service")',
    good: (j) => ((j.Type = "batch"), (j.Periodic = { Spec: "@daily" })),
  },
  {
    rule: "periodic.spec.required",
    type: "batch",
    bad: (j) => (j.Periodic = { TimeZone: "UTC" }),
    problem: "Job.Periodic.Spec: an enabled periodic block must have a Spec (or Specs)",
    good: (j) => (j.Periodic = { Enabled: false }),
  },
  {
    rule: "periodic.spec.both",
    type: "batch",
    bad: (j) => (j.Periodic = { Spec: "@daily", Specs: ["@hourly"] }),
    problem: "Job.Periodic.Specs: use either Spec or Specs, not both",
    good: (j) => (j.Periodic = { Specs: ["@hourly", "0 12 * * 1-5"] }),
  },
  {
    rule: "periodic.spec.invalid",
    type: "batch",
    bad: (j) => (j.Periodic = { Spec: "61 * * * *" }),
    problem: 'Job.Periodic.Spec: invalid cron spec "61 * * * *": Constraint error, got value 61 expected range 0-59',
    good: (j) => (j.Periodic = { Spec: "0 30 4 * * * 2030" }),
  },
  {
    rule: "periodic.time-zone",
    type: "batch",
    bad: (j) => (j.Periodic = { Spec: "@daily", TimeZone: "Mars/Olympus" }),
    problem: 'Job.Periodic.TimeZone: invalid time zone "Mars/Olympus": not an IANA time zone name such as "America/New_York"',
    good: (j) => (j.Periodic = { Spec: "@daily", TimeZone: "Europe/Paris" }),
  },
  {
    rule: "periodic.spec-type",
    type: "batch",
    bad: (j) => (j.Periodic = { Spec: "@daily", SpecType: "test" }),
    problem: 'Job.Periodic.SpecType: unknown periodic specification type "test" (only "cron")',
    good: (j) => (j.Periodic = { Spec: "@daily", SpecType: "cron" }),
  },
  // Parameterized ((*ParameterizedJobConfig).Validate)
  {
    rule: "parameterized.job-type",
    bad: (j) => (j.ParameterizedJob = {}),
    problem: 'Job.ParameterizedJob: a parameterized job must be of type "batch" or "sysbatch" (got "service")',
    good: (j) => ((j.Type = "sysbatch"), (j.ParameterizedJob = {})),
  },
  {
    rule: "parameterized.meta.disjoint",
    type: "batch",
    bad: (j) => (j.ParameterizedJob = { MetaRequired: ["a", "b"], MetaOptional: ["b"] }),
    problem: 'Job.ParameterizedJob.MetaOptional: required and optional meta keys must be disjoint; both list "b"',
    good: (j) => (j.ParameterizedJob = { MetaRequired: ["a"], MetaOptional: ["b"] }),
  },
  // Multiregion
  {
    rule: "multiregion.region.duplicate",
    bad: (j) => (j.Multiregion = { Regions: [{ Name: "east" }, { Name: "east" }] }),
    problem: 'Job.Multiregion.Regions[1].Name: multiregion region "east" can\'t be listed twice',
    good: (j) => (j.Multiregion = { Regions: [{ Name: "east" }, { Name: "west" }] }),
  },
  {
    rule: "multiregion.on-failure",
    bad: (j) => (j.Multiregion = { Strategy: { OnFailure: "panic" } }),
    problem: 'Job.Multiregion.Strategy.OnFailure: OnFailure must be "fail_all", "fail_local" or empty (got "panic")',
    good: (j) => (j.Multiregion = { Strategy: { OnFailure: "fail_local" } }),
  },
  // Scaling
  {
    rule: "scaling.max.required",
    bad: (j) => (group(j).Scaling = { Min: 1 }),
    problem: "Job.TaskGroups[0].Scaling.Max: maximum count must be specified and non-negative",
    good: (j) => (group(j).Scaling = { Min: 1, Max: 3 }),
  },
  {
    rule: "scaling.max.min",
    bad: (j) => (group(j).Scaling = { Min: 5, Max: 3 }),
    problem: [
      "Job.TaskGroups[0].Scaling.Max: maximum count (3) must not be less than minimum count (5)",
      "Job.TaskGroups[0].Count: task group count (5) must not be greater than the scaling policy's maximum (3)",
    ],
    good: (j) => (group(j).Scaling = { Min: 3, Max: 5 }),
  },
  {
    rule: "scaling.count.max",
    bad: (j) => ((group(j).Count = 9), (group(j).Scaling = { Min: 1, Max: 3 })),
    problem: "Job.TaskGroups[0].Count: task group count (9) must not be greater than the scaling policy's maximum (3)",
    good: (j) => ((group(j).Count = 3), (group(j).Scaling = { Min: 1, Max: 3 })),
  },
  {
    rule: "scaling.count.min",
    bad: (j) => ((group(j).Count = 0), (group(j).Scaling = { Min: 1, Max: 3 })),
    problem: "Job.TaskGroups[0].Count: task group count (0) must not be less than the scaling policy's minimum (1)",
    good: (j) => (group(j).Scaling = { Min: 1, Max: 3 }),
  },
  // Disconnect (nomad/structs/group.go)
  {
    rule: "disconnect.stop-and-lost",
    bad: (j) => (group(j).Disconnect = { StopOnClientAfter: 60 * S, LostAfter: 60 * S }),
    problem: "Job.TaskGroups[0].Disconnect.LostAfter: StopOnClientAfter and LostAfter can't be used at the same time",
    good: (j) => (group(j).Disconnect = { StopOnClientAfter: 60 * S }),
  },
  {
    rule: "disconnect.stop-after.job-type",
    type: "sysbatch",
    bad: (j) => (group(j).Disconnect = { StopOnClientAfter: 60 * S }),
    problem:
      'Job.TaskGroups[0].Disconnect.StopOnClientAfter: StopOnClientAfter can only be used with service or batch jobs (got "sysbatch")',
    good: (j) => (group(j).Disconnect = { LostAfter: 60 * S }),
  },
  // Networks and ports (validateNetworks)
  {
    rule: "port.label.duplicate",
    bad: (j) => (group(j).Networks = [{ DynamicPorts: [{ Label: "http" }], ReservedPorts: [{ Label: "http", Value: 8080 }] }]),
    problem: 'Job.TaskGroups[0].Networks[0].DynamicPorts[0].Label: port label "http" is already in use',
    good: (j) => (group(j).Networks = [{ DynamicPorts: [{ Label: "http" }], ReservedPorts: [{ Label: "admin", Value: 8080 }] }]),
  },
  {
    rule: "port.value.range",
    bad: (j) => (group(j).Networks = [{ ReservedPorts: [{ Label: "http", Value: 70000 }] }]),
    problem: "Job.TaskGroups[0].Networks[0].ReservedPorts[0].Value: port 70000 is out of range 0..65535",
    good: (j) => (group(j).Networks = [{ ReservedPorts: [{ Label: "http", Value: 65535 }] }]),
  },
  {
    rule: "port.static.duplicate",
    bad: (j) =>
      (group(j).Networks = [
        {
          ReservedPorts: [
            { Label: "a", Value: 80 },
            { Label: "b", Value: 80 },
          ],
        },
      ]),
    problem: "Job.TaskGroups[0].Networks[0].ReservedPorts[1].Value: static port 80 is already reserved by a",
    good: (j) =>
      (group(j).Networks = [
        {
          ReservedPorts: [
            { Label: "a", Value: 80 },
            { Label: "b", Value: 81 },
          ],
        },
      ]),
  },
  {
    rule: "port.label.required",
    bad: (j) => (group(j).Networks = [{ DynamicPorts: [{ To: 80 }] }]),
    problem: "Job.TaskGroups[0].Networks[0].DynamicPorts[0].Label: a port must have a Label",
    good: (j) => (group(j).Networks = [{ DynamicPorts: [{ Label: "http", To: 80 }] }]),
  },
  {
    rule: "port.dynamic.value",
    bad: (j) => (group(j).Networks = [{ DynamicPorts: [{ Label: "http", Value: 80 }] }]),
    problem:
      "Job.TaskGroups[0].Networks[0].DynamicPorts[0].Value: a dynamic port cannot have a static Value (80); move it to ReservedPorts",
    good: (j) => (group(j).Networks = [{ ReservedPorts: [{ Label: "http", Value: 80 }] }]),
  },
  {
    rule: "network.mode",
    bad: (j) => (group(j).Networks = [{ Mode: "overlay" }]),
    problem: 'Job.TaskGroups[0].Networks[0].Mode: network mode "overlay" must be "host", "bridge", "none" or "cni/<name>"',
    good: (j) => (group(j).Networks = [{ Mode: "cni/mynet" }]),
  },
  // Volumes
  {
    rule: "volume.type.required",
    bad: (j) => (group(j).Volumes = { data: { Source: "data" } }),
    problem: 'Job.TaskGroups[0].Volumes.data.Type: a volume must have a Type: "host" or "csi" (Nomad silently drops volumes without one)',
    good: (j) => (group(j).Volumes = { data: { Type: "host", Source: "data" } }),
  },
  {
    rule: "volume.source.required",
    bad: (j) => (group(j).Volumes = { data: { Type: "csi" } }),
    problem: "Job.TaskGroups[0].Volumes.data.Source: a volume must have a Source",
    good: (j) => (group(j).Volumes = { data: { Type: "csi", Source: "vol-1" } }),
  },
  {
    rule: "volume-mount.volume.undefined",
    bad: (j) => (task(j).VolumeMounts = [{ Volume: "data", Destination: "/srv" }]),
    problem:
      'Job.TaskGroups[0].Tasks[0].VolumeMounts[0].Volume: volume mount references undefined volume "data"; declare it in the group\'s Volumes',
    good: (j) => (
      (group(j).Volumes = { data: { Type: "host", Source: "data" } }),
      (task(j).VolumeMounts = [{ Volume: "data", Destination: "/srv" }])
    ),
  },
  // Tasks ((*Task).Validate)
  {
    rule: "task.name.required",
    bad: (j) => (task(j).Name = ""),
    problem: "Job.TaskGroups[0].Tasks[0].Name: missing task name",
    good: (j) => (task(j).Name = "t"),
  },
  {
    rule: "task.name.alloc",
    bad: (j) => (task(j).Name = "alloc"),
    problem: 'Job.TaskGroups[0].Tasks[0].Name: a task cannot be named "alloc"',
    good: (j) => (task(j).Name = "allocator"),
  },
  {
    rule: "task.name.slash",
    bad: (j) => (task(j).Name = "a/b"),
    problem: "Job.TaskGroups[0].Tasks[0].Name: a task name cannot include slashes",
    good: (j) => (task(j).Name = "a-b"),
  },
  {
    rule: "task.name.duplicate",
    bad: (j) => group(j).Tasks.push(structuredClone(task(j))),
    problem: 'Job.TaskGroups[0].Tasks[1].Name: task "server" is already defined by task 0',
    good: (j) => group(j).Tasks.push({ ...structuredClone(task(j)), Name: "sidecar" }),
  },
  {
    rule: "task.driver.required",
    bad: (j) => (task(j).Driver = ""),
    problem: 'Job.TaskGroups[0].Tasks[0].Driver: missing task driver (e.g. "docker", "exec", "raw_exec")',
    good: (j) => Object.assign(task(j), { Driver: "exec", Config: { command: "/bin/true" } }),
  },
  {
    rule: "task.kill-timeout.progress-deadline",
    bad: (j) => (task(j).KillTimeout = 700 * S),
    problem: "Job.TaskGroups[0].Tasks[0].KillTimeout: KillTimeout (11m40s) is longer than the group's ProgressDeadline (10m0s)",
    good: (j) => (task(j).KillTimeout = 30 * S),
  },
  {
    rule: "lifecycle.hook.required",
    bad: (j) => group(j).Tasks.push({ Name: "init", Driver: "exec", Config: { command: "init.sh" }, Lifecycle: { Sidecar: true } }),
    problem: 'Job.TaskGroups[0].Tasks[1].Lifecycle.Hook: no lifecycle hook provided: "prestart", "poststart" or "poststop"',
    good: (j) => group(j).Tasks.push({ Name: "init", Driver: "exec", Config: { command: "init.sh" }, Lifecycle: { Hook: "prestart" } }),
  },
  // Resources ((*Resources).Validate, MeetsMinResources)
  {
    rule: "resources.memory.min",
    bad: (j) => (task(j).Resources = { MemoryMB: 5 }),
    problem: "Job.TaskGroups[0].Tasks[0].Resources.MemoryMB: minimum MemoryMB value is 10; got 5",
    good: (j) => (task(j).Resources = { MemoryMB: 10 }),
  },
  {
    rule: "resources.cpu.min",
    bad: (j) => (task(j).Resources = { CPU: 0 }),
    problem: "Job.TaskGroups[0].Tasks[0].Resources.CPU: minimum CPU value is 1 MHz; got 0",
    good: (j) => (task(j).Resources = { CPU: 1 }),
  },
  {
    rule: "resources.cpu-and-cores",
    bad: (j) => (task(j).Resources = { CPU: 500, Cores: 2 }),
    problem: "Job.TaskGroups[0].Tasks[0].Resources.Cores: a task can ask for CPU or Cores, not both",
    good: (j) => (task(j).Resources = { Cores: 2 }),
  },
  {
    rule: "resources.memory-max.min",
    bad: (j) => (task(j).Resources = { MemoryMB: 512, MemoryMaxMB: 256 }),
    problem: "Job.TaskGroups[0].Tasks[0].Resources.MemoryMaxMB: MemoryMaxMB (256) must be at least MemoryMB (512)",
    good: (j) => (task(j).Resources = { MemoryMB: 512, MemoryMaxMB: 1024 }),
  },
  {
    rule: "resources.secrets.memory",
    bad: (j) => (task(j).Resources = { MemoryMB: 64, SecretsMB: 128 }),
    problem: "Job.TaskGroups[0].Tasks[0].Resources.SecretsMB: SecretsMB (128) cannot be larger than MemoryMB (64)",
    good: (j) => (task(j).Resources = { MemoryMB: 64, SecretsMB: 8 }),
  },
  {
    rule: "device.name.required",
    bad: (j) => (task(j).Resources = { Devices: [{ Count: 1 }] }),
    problem:
      "Job.TaskGroups[0].Tasks[0].Resources.Devices[0].Name: device name must be given as one of: type, vendor/type, or vendor/type/name",
    good: (j) => (task(j).Resources = { Devices: [{ Name: "nvidia/gpu" }] }),
  },
  // Logs ((*LogConfig).Validate)
  {
    rule: "log.max-files",
    bad: (j) => (task(j).LogConfig = { MaxFiles: 0 }),
    problem: "Job.TaskGroups[0].Tasks[0].LogConfig.MaxFiles: minimum number of files is 1; got 0",
    good: (j) => (task(j).LogConfig = { MaxFiles: 1 }),
  },
  {
    rule: "log.max-file-size",
    bad: (j) => (task(j).LogConfig = { MaxFileSizeMB: 0 }),
    problem: "Job.TaskGroups[0].Tasks[0].LogConfig.MaxFileSizeMB: minimum file size is 1 MB; got 0",
    good: (j) => (task(j).LogConfig = { MaxFileSizeMB: 1 }),
  },
  {
    rule: "log.disk",
    bad: (j) => (task(j).LogConfig = { MaxFiles: 10, MaxFileSizeMB: 30 }),
    problem:
      "Job.TaskGroups[0].Tasks[0].LogConfig: log storage (300 MB = MaxFiles × MaxFileSizeMB) must be less than the group's ephemeral disk (300 MB)",
    good: (j) => (group(j).EphemeralDisk = { SizeMB: 301 }),
  },
  // Artifacts, templates, vault, dispatch payload
  {
    rule: "artifact.source.required",
    bad: (j) => (task(j).Artifacts = [{ RelativeDest: "local/x" }]),
    problem: "Job.TaskGroups[0].Tasks[0].Artifacts[0].GetterSource: artifact source must be specified",
    good: (j) => (task(j).Artifacts = [{ GetterSource: "https://example.com/x.tgz" }]),
  },
  {
    rule: "artifact.destination.escapes",
    bad: (j) => (task(j).Artifacts = [{ GetterSource: "https://e.com/x", RelativeDest: "../../etc" }]),
    problem: 'Job.TaskGroups[0].Tasks[0].Artifacts[0].RelativeDest: destination "../../etc" escapes the allocation directory',
    good: (j) => (task(j).Artifacts = [{ GetterSource: "https://e.com/x", RelativeDest: "../alloc/data" }]),
  },
  {
    rule: "template.source.required",
    bad: (j) => (task(j).Templates = [{ DestPath: "local/a" }]),
    problem: "Job.TaskGroups[0].Tasks[0].Templates[0].SourcePath: a template needs a SourcePath or an EmbeddedTmpl",
    good: (j) => (task(j).Templates = [{ DestPath: "local/a", EmbeddedTmpl: "x" }]),
  },
  {
    rule: "template.destination.required",
    bad: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x" }]),
    problem: "Job.TaskGroups[0].Tasks[0].Templates[0].DestPath: a template must have a DestPath",
    good: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "secrets/a" }]),
  },
  {
    rule: "template.destination.duplicate",
    bad: (j) =>
      (task(j).Templates = [
        { EmbeddedTmpl: "x", DestPath: "local/a" },
        { EmbeddedTmpl: "y", DestPath: "local/a" },
      ]),
    problem: "Job.TaskGroups[0].Tasks[0].Templates[1].DestPath: template has the same destination as template 0",
    good: (j) =>
      (task(j).Templates = [
        { EmbeddedTmpl: "x", DestPath: "local/a" },
        { EmbeddedTmpl: "y", DestPath: "local/b" },
      ]),
  },
  {
    rule: "template.destination.escapes",
    bad: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "../../../x" }]),
    problem: 'Job.TaskGroups[0].Tasks[0].Templates[0].DestPath: destination "../../../x" escapes the allocation directory',
    good: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "/local/x" }]),
  },
  {
    rule: "template.change-signal.required",
    bad: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", ChangeMode: "signal", ChangeSignal: "" }]),
    problem: 'Job.TaskGroups[0].Tasks[0].Templates[0].ChangeSignal: a signal must be given when ChangeMode is "signal"',
    good: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", ChangeMode: "signal" }]),
  },
  {
    rule: "template.signal-envvars",
    bad: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", ChangeMode: "signal", Envvars: true }]),
    problem: "Job.TaskGroups[0].Tasks[0].Templates[0].Envvars: signals cannot be used with env var templates (Envvars)",
    good: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", Envvars: true }]),
  },
  {
    rule: "template.change-script.required",
    bad: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", ChangeMode: "script" }]),
    problem: 'Job.TaskGroups[0].Tasks[0].Templates[0].ChangeScript: ChangeMode "script" needs a ChangeScript',
    good: (j) =>
      (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", ChangeMode: "script", ChangeScript: { Command: "/bin/reload" } }]),
  },
  {
    rule: "template.perms",
    bad: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", Perms: "0999" }]),
    problem: 'Job.TaskGroups[0].Tasks[0].Templates[0].Perms: failed to parse "0999" as octal file permissions (e.g. "0644")',
    good: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", Perms: "0600" }]),
  },
  {
    rule: "vault.change-signal.required",
    bad: (j) => (task(j).Vault = { ChangeMode: "signal", ChangeSignal: "" }),
    problem: 'Job.TaskGroups[0].Tasks[0].Vault.ChangeSignal: a signal must be given when ChangeMode is "signal"',
    good: (j) => (task(j).Vault = { ChangeMode: "signal" }),
  },
  {
    rule: "dispatch-payload.file.escapes",
    type: "batch",
    bad: (j) => (task(j).DispatchPayload = { File: "../../../x" }),
    problem: 'Job.TaskGroups[0].Tasks[0].DispatchPayload.File: dispatch payload file "../../../x" escapes the allocation directory',
    good: (j) => (task(j).DispatchPayload = { File: "input.json" }),
  },
  {
    rule: "secret.name.duplicate",
    bad: (j) =>
      (task(j).Secrets = [
        { Name: "db", Provider: "nomad" },
        { Name: "db", Provider: "vault" },
      ]),
    problem: 'Job.TaskGroups[0].Tasks[0].Secrets[1].Name: secret "db" is defined more than once (first at index 0)',
    good: (j) => (task(j).Secrets = [{ Name: "db", Provider: "nomad" }]),
  },
  {
    rule: "action.command.required",
    bad: (j) => (task(j).Actions = [{ Name: "flush" }]),
    problem: "Job.TaskGroups[0].Tasks[0].Actions[0].Command: an action must have a Command",
    good: (j) => (task(j).Actions = [{ Name: "flush", Command: "/bin/flush" }]),
  },
  // Services and checks (nomad/structs/services.go)
  {
    rule: "service.name.invalid",
    bad: (j) => (group(j).Services = [{ Name: "web_api" }]),
    problem:
      'Job.TaskGroups[0].Services[0].Name: service name "web_api" must be valid per RFC 1123: alphanumerics and dashes, not starting or ending with a dash, at most 63 characters',
    good: (j) => (group(j).Services = [{ Name: "${JOB}-api" }]),
  },
  {
    rule: "service.port.unknown",
    bad: (j) => (group(j).Services = [{ Name: "web", PortLabel: "http" }]),
    problem: 'Job.TaskGroups[0].Services[0].PortLabel: port label "http" does not exist in the group\'s networks',
    good: (j) => (
      (group(j).Networks = [{ DynamicPorts: [{ Label: "http" }] }]),
      (group(j).Services = [{ Name: "web", PortLabel: "http" }])
    ),
  },
  {
    rule: "service.duplicate",
    bad: (j) => (group(j).Services = [{ Name: "web" }, { Name: "web" }]),
    problem: 'Job.TaskGroups[0].Services[1].Name: service "web" with port "" is a duplicate of service 0',
    good: (j) => (group(j).Services = [{ Name: "web" }, { Name: "web", Provider: "nomad" }]),
  },
  {
    rule: "check.type.required",
    bad: (j) => (task(j).Services = [{ Checks: [{ Interval: 10 * S, Timeout: 2 * S }] }]),
    problem: "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Type: missing check type: http, tcp, script, grpc",
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: 10 * S, Timeout: 2 * S }] }]),
  },
  {
    rule: "check.http.path",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "http", Interval: 10 * S, Timeout: 2 * S }] }]),
    problem: "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Path: an http check must have a Path",
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "http", Path: "/health", Interval: 10 * S, Timeout: 2 * S }] }]),
  },
  {
    rule: "check.http.path.relative",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "http", Path: "http://example.com/health", Interval: 10 * S, Timeout: 2 * S }] }]),
    problem:
      'Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Path: an http check\'s Path must be relative (got "http://example.com/health"); the address comes from the service',
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "http", Path: "/health?full=1", Interval: 10 * S, Timeout: 2 * S }] }]),
  },
  {
    rule: "check.script.command",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "script", Interval: 10 * S, Timeout: 2 * S }] }]),
    problem: "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Command: a script check must have a Command",
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "script", Command: "/bin/check", Interval: 10 * S, Timeout: 2 * S }] }]),
  },
  {
    rule: "check.interval.min",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: S / 2, Timeout: 2 * S }] }]),
    problem: "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Interval: check interval (0.5s) cannot be lower than 1s",
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: S, Timeout: 2 * S }] }]),
  },
  {
    rule: "check.timeout.required",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: 10 * S }] }]),
    problem: "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Timeout: missing check timeout (nanoseconds, at least 1s)",
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: 10 * S, Timeout: S }] }]),
  },
  {
    rule: "check.type.nomad",
    bad: (j) => (task(j).Services = [{ Provider: "nomad", Checks: [{ Type: "grpc", Interval: 10 * S, Timeout: 2 * S }] }]),
    problem: 'Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Type: Nomad service checks support only "http" and "tcp" (got "grpc")',
    good: (j) => (task(j).Services = [{ Provider: "consul", Checks: [{ Type: "grpc", Interval: 10 * S, Timeout: 2 * S }] }]),
  },
  {
    rule: "check-restart.limit",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: 10 * S, Timeout: 2 * S, CheckRestart: { Limit: -1 } }] }]),
    problem: "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].CheckRestart.Limit: limit must be greater than or equal to 0 (got -1)",
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: 10 * S, Timeout: 2 * S, CheckRestart: { Limit: 3 } }] }]),
  },
  // Further cases: every rule id in lib/jobspec/rules has one (see the coverage test below).
  {
    rule: "group.name.nul",
    bad: (j) => (group(j).Name = "a\0b"),
    problem: "Job.TaskGroups[0].Name: task group name contains a null character",
    good: (j) => (group(j).Name = "ab"),
  },
  {
    rule: "task.name.nul",
    bad: (j) => (task(j).Name = "a\0b"),
    problem: "Job.TaskGroups[0].Tasks[0].Name: a task name cannot include null characters",
    good: (j) => (task(j).Name = "ab"),
  },
  {
    rule: "resources.cores.negative",
    bad: (j) => (task(j).Resources = { Cores: -1 }),
    problem: "Job.TaskGroups[0].Tasks[0].Resources.Cores: cores (-1) cannot be negative",
    good: (j) => (task(j).Resources = { Cores: 1 }),
  },
  {
    rule: "restart.attempts.negative",
    bad: (j) => (group(j).RestartPolicy = { Attempts: -1 }),
    problem: "Job.TaskGroups[0].RestartPolicy.Attempts: attempts must not be negative (got -1)",
    good: (j) => (group(j).RestartPolicy = { Attempts: 1 }),
  },
  {
    rule: "reschedule.attempts.negative",
    type: "batch",
    bad: (j) => (group(j).ReschedulePolicy = { Attempts: -1 }),
    problem: "Job.TaskGroups[0].ReschedulePolicy.Attempts: attempts must not be negative (got -1)",
    good: (j) => (group(j).ReschedulePolicy = { Attempts: 0 }),
  },
  {
    rule: "reschedule.interval.required",
    type: "batch",
    bad: (j) => (group(j).ReschedulePolicy = { Attempts: 2, Interval: 0 }),
    problem: "Job.TaskGroups[0].ReschedulePolicy.Interval: Interval must be a non zero value if Attempts > 0",
    good: (j) => (group(j).ReschedulePolicy = { Attempts: 2, Interval: 3600 * S }),
  },
  {
    rule: "reschedule.delay-function",
    bad: (j) => (group(j).ReschedulePolicy = { DelayFunction: "" }),
    problem:
      'Job.TaskGroups[0].ReschedulePolicy.DelayFunction: Invalid delay function "", must be one of ["constant" "exponential" "fibonacci"]',
    good: (j) => (group(j).ReschedulePolicy = { DelayFunction: "fibonacci" }),
  },
  {
    rule: "reschedule.max-delay.min",
    bad: (j) => (group(j).ReschedulePolicy = { Delay: 5 * S, MaxDelay: S }),
    problem: "Job.TaskGroups[0].ReschedulePolicy.MaxDelay: Max Delay cannot be less than 5s (got 1s)",
    good: (j) => (group(j).ReschedulePolicy = { Delay: 5 * S, MaxDelay: 5 * S }),
  },
  {
    rule: "update.healthy-deadline.positive",
    bad: (j) => (group(j).Update = { HealthyDeadline: 0, MinHealthyTime: 0, ProgressDeadline: 0 }),
    problem: [
      "Job.TaskGroups[0].Update.HealthyDeadline: healthy deadline must be greater than zero (got 0s)",
      "Job.TaskGroups[0].Update.MinHealthyTime: minimum healthy time (0s) must be less than the healthy deadline (0s)",
    ],
    good: (j) => (group(j).Update = { HealthyDeadline: S, MinHealthyTime: 0, ProgressDeadline: 0 }),
  },
  {
    rule: "migrate.health-check.required",
    bad: (j) => (group(j).Migrate = { HealthCheck: "" }),
    problem: 'Job.TaskGroups[0].Migrate.HealthCheck: missing HealthCheck: "checks" or "task_states"',
    good: (j) => (group(j).Migrate = { HealthCheck: "task_states" }),
  },
  {
    rule: "affinity.operand.required",
    bad: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a" }]),
    problem: "Job.Affinities[0].Operand: missing affinity operand",
    good: (j) => (j.Affinities = [{ LTarget: "${node.class}", RTarget: "a", Operand: "!=" }]),
  },
  {
    rule: "affinity.rtarget.required",
    bad: (j) => (j.Affinities = [{ LTarget: "${node.class}", Operand: "set_contains" }]),
    problem: 'Job.Affinities[0].RTarget: operator "set_contains" requires an RTarget',
    good: (j) => (j.Affinities = [{ LTarget: "${node.class}", Operand: "set_contains", RTarget: "a" }]),
  },
  {
    rule: "affinity.regexp",
    bad: (j) => (j.Affinities = [{ LTarget: "${node.class}", Operand: "regexp", RTarget: "[a-" }]),
    problem: expect.stringMatching(/^Job\.Affinities\[0\]\.RTarget: regular expression failed to compile: /) as unknown as string,
    good: (j) => (j.Affinities = [{ LTarget: "${node.class}", Operand: "regexp", RTarget: "[a-z]+" }]),
  },
  {
    rule: "affinity.version",
    bad: (j) => (j.Affinities = [{ LTarget: "${attr.kernel.version}", Operand: "version", RTarget: "newest" }]),
    problem: "Job.Affinities[0].RTarget: version affinity is invalid: Malformed constraint: newest",
    good: (j) => (j.Affinities = [{ LTarget: "${attr.kernel.version}", Operand: "version", RTarget: "~> 5.4" }]),
  },
  {
    rule: "spread.target.percent",
    bad: (j) => (j.Spreads = [{ Attribute: "${node.datacenter}", SpreadTarget: [{ Value: "dc1", Percent: 150 }] }]),
    problem: [
      'Job.Spreads[0].SpreadTarget[0].Percent: spread target percentage for value "dc1" must be between 0 and 100 (got 150)',
      "Job.Spreads[0].SpreadTarget: sum of spread target percentages must not be greater than 100%; got 150%",
    ],
    good: (j) => (j.Spreads = [{ Attribute: "${node.datacenter}", SpreadTarget: [{ Value: "dc1", Percent: 100 }] }]),
  },
  {
    rule: "multiregion.region.name",
    bad: (j) => (j.Multiregion = { Regions: [{ Count: 1 }] }),
    problem: "Job.Multiregion.Regions[0].Name: a multiregion region must have a Name",
    good: (j) => (j.Multiregion = { Regions: [{ Name: "east", Count: 1 }] }),
  },
  {
    rule: "multiregion.region.count",
    bad: (j) => (j.Multiregion = { Regions: [{ Name: "east", Count: -1 }] }),
    problem: "Job.Multiregion.Regions[0].Count: count must not be negative (got -1)",
    good: (j) => (j.Multiregion = { Regions: [{ Name: "east", Count: 0 }] }),
  },
  {
    rule: "scaling.max.negative",
    bad: (j) => ((group(j).Count = 0), (group(j).Scaling = { Min: 0, Max: -1 })),
    problem: "Job.TaskGroups[0].Scaling.Max: maximum count must be non-negative (got -1)",
    good: (j) => ((group(j).Count = 0), (group(j).Scaling = { Min: 0, Max: 0 })),
  },
  {
    rule: "scaling.type",
    bad: (j) => (group(j).Scaling = { Min: 1, Max: 2, Type: "vertical_mem" }),
    problem: 'Job.TaskGroups[0].Scaling.Type: scaling policy type "vertical_mem" is not valid',
    good: (j) => (group(j).Scaling = { Min: 1, Max: 2, Type: "horizontal" }),
  },
  {
    rule: "scaling.min.negative",
    bad: (j) => ((group(j).Count = 0), (group(j).Scaling = { Min: -1, Max: 2 })),
    problem: "Job.TaskGroups[0].Scaling.Min: minimum count must be non-negative (got -1)",
    good: (j) => ((group(j).Count = 0), (group(j).Scaling = { Min: 0, Max: 2 })),
  },
  {
    rule: "port.to.range",
    bad: (j) => (group(j).Networks = [{ DynamicPorts: [{ Label: "http", To: -2 }] }]),
    problem: "Job.TaskGroups[0].Networks[0].DynamicPorts[0].To: port mapping To -2 is out of range -1..65535",
    good: (j) => (group(j).Networks = [{ DynamicPorts: [{ Label: "http", To: -1 }] }]),
  },
  {
    rule: "volume.per-alloc.job-type",
    bad: (j) => ((j.Type = "system"), (group(j).Volumes = { data: { Type: "host", Source: "d", PerAlloc: true } })),
    problem: "Job.TaskGroups[0].Volumes.data.PerAlloc: volume cannot be per_alloc for system or sysbatch jobs",
    good: (j) => (group(j).Volumes = { data: { Type: "host", Source: "d", PerAlloc: true } }),
  },
  {
    rule: "volume.per-alloc.canary",
    bad: (j) => (
      (group(j).Update = { Canary: 1, MaxParallel: 1 }),
      (group(j).Volumes = { data: { Type: "host", Source: "d", PerAlloc: true } })
    ),
    problem: "Job.TaskGroups[0].Volumes.data.PerAlloc: volume cannot be per_alloc when canaries are in use",
    good: (j) => (
      (group(j).Update = { Canary: 0, MaxParallel: 1 }),
      (group(j).Volumes = { data: { Type: "host", Source: "d", PerAlloc: true } })
    ),
  },
  {
    rule: "volume.per-alloc.sticky",
    bad: (j) => (group(j).Volumes = { data: { Type: "host", Source: "d", PerAlloc: true, Sticky: true } }),
    problem: "Job.TaskGroups[0].Volumes.data.PerAlloc: volume cannot be per_alloc and sticky at the same time",
    good: (j) => (group(j).Volumes = { data: { Type: "host", Source: "d", PerAlloc: true, Sticky: false } }),
  },
  {
    rule: "volume-mount.volume.required",
    bad: (j) => ((group(j).Volumes = { data: { Type: "host", Source: "d" } }), (task(j).VolumeMounts = [{ Destination: "/srv" }])),
    problem: "Job.TaskGroups[0].Tasks[0].VolumeMounts[0].Volume: a volume mount must name a volume of the group",
    good: (j) => (
      (group(j).Volumes = { data: { Type: "host", Source: "d" } }),
      (task(j).VolumeMounts = [{ Volume: "data", Destination: "/srv" }])
    ),
  },
  {
    rule: "volume-mount.destination.required",
    bad: (j) => ((group(j).Volumes = { data: { Type: "host", Source: "d" } }), (task(j).VolumeMounts = [{ Volume: "data" }])),
    problem: "Job.TaskGroups[0].Tasks[0].VolumeMounts[0].Destination: a volume mount must have a Destination",
    good: (j) => (
      (group(j).Volumes = { data: { Type: "host", Source: "d" } }),
      (task(j).VolumeMounts = [{ Volume: "data", Destination: "/srv" }])
    ),
  },
  {
    rule: "csi-plugin.id.required",
    bad: (j) => (task(j).CSIPluginConfig = { Type: "node" }),
    problem: "Job.TaskGroups[0].Tasks[0].CSIPluginConfig.ID: a CSI plugin must have an ID",
    good: (j) => (task(j).CSIPluginConfig = { ID: "ebs", Type: "node" }),
  },
  {
    rule: "csi-plugin.type.required",
    bad: (j) => (task(j).CSIPluginConfig = { ID: "ebs" }),
    problem: 'Job.TaskGroups[0].Tasks[0].CSIPluginConfig.Type: a CSI plugin must have a Type: "node", "controller" or "monolith"',
    good: (j) => (task(j).CSIPluginConfig = { ID: "ebs", Type: "controller" }),
  },
  {
    rule: "template.wait",
    bad: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", Wait: { Min: 10 * S, Max: 5 * S } }]),
    problem: "Job.TaskGroups[0].Tasks[0].Templates[0].Wait: wait Min (10s) must not be greater than Max (5s)",
    good: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", Wait: { Min: 5 * S, Max: 10 * S } }]),
  },
  {
    rule: "change-script.command.required",
    bad: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", ChangeMode: "script", ChangeScript: { Args: ["x"] } }]),
    problem: "Job.TaskGroups[0].Tasks[0].Templates[0].ChangeScript.Command: a change script must have a Command",
    good: (j) => (task(j).Templates = [{ EmbeddedTmpl: "x", DestPath: "local/a", ChangeMode: "script", ChangeScript: { Command: "/r" } }]),
  },
  {
    rule: "secret.name.required",
    bad: (j) => (task(j).Secrets = [{ Provider: "nomad" }]),
    problem: "Job.TaskGroups[0].Tasks[0].Secrets[0].Name: missing secret name",
    good: (j) => (task(j).Secrets = [{ Name: "s", Provider: "nomad" }]),
  },
  {
    rule: "action.name.duplicate",
    bad: (j) =>
      (task(j).Actions = [
        { Name: "a", Command: "/a" },
        { Name: "a", Command: "/b" },
      ]),
    problem: 'Job.TaskGroups[0].Tasks[0].Actions[1].Name: action "a" is defined more than once (first at index 0)',
    good: (j) =>
      (task(j).Actions = [
        { Name: "a", Command: "/a" },
        { Name: "b", Command: "/b" },
      ]),
  },
  {
    rule: "check.type.invalid",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "icmp", Interval: 10 * S, Timeout: S }] }]),
    problem: 'Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Type: invalid check type "icmp"; use one of http, tcp, script, grpc',
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "grpc", Interval: 10 * S, Timeout: S }] }]),
  },
  {
    rule: "check.interval.required",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Timeout: S }] }]),
    problem: "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Interval: missing check interval (nanoseconds, at least 1s)",
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: S, Timeout: S }] }]),
  },
  {
    rule: "check.timeout.min",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: S, Timeout: S / 10 }] }]),
    problem: "Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].Timeout: check timeout (0.1s) is lower than the minimum 1s",
    good: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", Interval: S, Timeout: S }] }]),
  },
  {
    rule: "check.script.task",
    bad: (j) => (group(j).Services = [{ Name: "web", Checks: [{ Type: "script", Command: "/c", Interval: S, Timeout: S }] }]),
    problem:
      "Job.TaskGroups[0].Services[0].Checks[0].TaskName: a script check of a group service must name the task it runs in (the check's or the service's TaskName)",
    good: (j) =>
      (group(j).Services = [{ Name: "web", TaskName: "server", Checks: [{ Type: "script", Command: "/c", Interval: S, Timeout: S }] }]),
  },
  {
    rule: "check.port.unknown",
    bad: (j) => (task(j).Services = [{ Checks: [{ Type: "tcp", PortLabel: "admin", Interval: S, Timeout: S }] }]),
    problem: 'Job.TaskGroups[0].Tasks[0].Services[0].Checks[0].PortLabel: port label "admin" does not exist in the group\'s networks',
    good: (j) => (
      (group(j).Networks = [{ DynamicPorts: [{ Label: "admin" }] }]),
      (task(j).Services = [{ Checks: [{ Type: "tcp", PortLabel: "admin", Interval: S, Timeout: S }] }])
    ),
  },
];

describe("validation rules: one failing and one passing job per rule", () => {
  test("every rule id appears once", () => {
    const ids = cases.map((c) => c.rule);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("every rule id in lib/jobspec/rules has a case here", () => {
    const dir = path.resolve(__dirname, "..", "..", "lib", "jobspec", "rules");
    const source = fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
    const ids = new Set([...source.matchAll(/ctx\.(?:error|warn)\([^;]*?, "([a-z][a-z0-9-]*\.[a-z0-9.-]+)"/g)].map((m) => m[1]));
    const covered = new Set([...cases.map((c) => c.rule), "update.job-type.stub"]);
    expect([...ids].filter((id) => !covered.has(id)).sort()).toEqual([]);
    expect(ids.size).toBeGreaterThan(100);
  });

  test("a batch job's read-back Update stub is a warning; a real update block on it is an error", () => {
    const stub = { ...minimalJob("batch"), Update: { Stagger: 10 * S, MaxParallel: 1 } };
    const r = validateJob(stub);
    expect(r.valid).toBe(true);
    expect(r.warnings.map((w) => `${w.rule} ${w.path}`)).toEqual(["update.job-type.stub Job.Update"]);
    const real = validateJob({ ...minimalJob("batch"), Update: { Canary: 1 } });
    expect(real.valid ? [] : lines(real.problems)).toEqual([
      'Job.Update: job type "batch" does not allow an update block (only service and system jobs)',
    ]);
  });

  test("periodic and parameterized together are allowed (Nomad has no rule against it)", () => {
    expect(validateJob({ ...minimalJob("batch"), Periodic: { Spec: "@hourly" }, ParameterizedJob: { Payload: "forbidden" } }).valid).toBe(
      true,
    );
  });

  test.each(cases.map((c) => [c.rule, c]))("%s", (_id, c) => {
    const bad = minimalJob(c.type);
    c.bad(bad as Job & Record<string, never>);
    const r = validateJob(bad);
    expect(r.valid).toBe(false);
    if (!r.valid) expect(lines(r.problems)).toEqual(Array.isArray(c.problem) ? c.problem : [c.problem]);

    const good = minimalJob(c.type);
    c.good(good as Job & Record<string, never>);
    const g = validateJob(good);
    expect(g.valid ? [] : lines(g.problems)).toEqual([]);
  });

  test("the rule id of each problem is reported", () => {
    const j = minimalJob();
    (j.TaskGroups![0] as G).Tasks[0].Driver = "";
    const r = validateJob(j);
    expect(r.valid ? [] : r.problems.map((p) => p.rule)).toEqual(["task.driver.required"]);
  });

  test("every problem is reported, not just the first", () => {
    const j = minimalJob();
    j.ID = "has space";
    j.Priority = 0 - 1;
    (j.TaskGroups![0] as G).Tasks[0].Driver = "";
    (j.TaskGroups![0] as G).Tasks[0].Resources = { MemoryMB: 1 };
    const r = validateJob(j);
    expect(r.valid ? [] : lines(r.problems)).toEqual([
      'Job.ID: job ID "has space" contains a space',
      "Job.Priority: job priority must be between 1 and 100 (got -1)",
      'Job.TaskGroups[0].Tasks[0].Driver: missing task driver (e.g. "docker", "exec", "raw_exec")',
      "Job.TaskGroups[0].Tasks[0].Resources.MemoryMB: minimum MemoryMB value is 10; got 1",
    ]);
  });
});
