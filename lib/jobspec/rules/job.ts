/**
 * Rules of the job and its groups (`nomad/structs/structs.go`
 * (*Job).Validate, (*TaskGroup).Validate, validateNetworks,
 * validateScalingPolicy, (*PeriodicConfig).Validate,
 * (*ParameterizedJobConfig).Validate, (*EphemeralDisk).Validate,
 * (*VolumeRequest).Validate; Enterprise (*Multiregion).Validate).
 *
 * Rules judge the canonicalized job, as Nomad validates after its defaults
 * are applied, and look at the job as written to place each problem where
 * the user wrote it (a job-level Update on a batch job is reported once, at
 * Job.Update, not once per group).
 */
import { isUpdateStub } from "../canonicalize";
import { JOB_TYPES, MULTIREGION_ON_FAILURE } from "../constants";
import { MAX_JOB_PRIORITY } from "../defaults";
import type { Obj, Path, RuleContext } from "./context";
import { isObj, items, num, obj, q, str, strings } from "./context";
import { cronSpecError, isKnownTimeZone } from "./periodic";
import { checkPlacement } from "./placement";
import { checkMigrateStrategy, checkReschedulePolicy, checkRestartPolicy, checkUpdateStrategy } from "./policies";
import { checkServices } from "./service";
import { checkTask } from "./task";

/** Runs every job rule: `c` is the canonicalized job, `raw` the job as written. */
export function checkJob(ctx: RuleContext, c: Obj, raw: Obj): void {
  const type = str(c.Type) ?? "";
  const id = str(c.ID) ?? "";
  // structs.go (*Job).Validate: "Missing job ID", "Job ID contains a space", "Job ID contains a null character"
  if (id === "") ctx.error(["ID"], "job.id.required", "missing job ID");
  else if (id.includes(" ")) ctx.error(["ID"], "job.id.space", `job ID ${q(id)} contains a space`);
  else if (id.includes("\0")) ctx.error(["ID"], "job.id.nul", "job ID contains a null character");
  if ((str(c.Name) ?? "").includes("\0")) ctx.error(["Name"], "job.name.nul", "job Name contains a null character");
  // structs.go: "Missing job type" / "Invalid job type: %q" (the schema reports other values)
  if (raw.Type === "") ctx.error(["Type"], "job.type.required", `missing job type: ${JOB_TYPES.join(", ")}`);
  const priority = num(c.Priority);
  // job_endpoint.go: "job priority must be between [%d, %d]"
  if (priority !== undefined && (priority < 1 || priority > MAX_JOB_PRIORITY))
    ctx.error(["Priority"], "job.priority.range", `job priority must be between 1 and ${MAX_JOB_PRIORITY} (got ${priority})`);
  if (Array.isArray(raw.Datacenters))
    raw.Datacenters.forEach((d, i) => {
      if (d === "")
        ctx.error(["Datacenters", i], "job.datacenter.empty", 'a datacenter must be a non-empty string (globs such as "dc*" are allowed)');
    });
  // structs.go: "Missing job task groups"
  if (!Array.isArray(c.TaskGroups) || c.TaskGroups.length === 0)
    ctx.error(["TaskGroups"], "job.groups.required", "a job needs at least one task group");

  checkPlacement(ctx, c, [], { taskLevel: false, system: type === "system", raw });

  const ui = obj(c.UI);
  const desc = str(ui?.Description);
  if (desc !== undefined && desc.length > 1000)
    ctx.error(["UI", "Description"], "job.ui.description", `UI description must be under 1000 characters, currently ${desc.length}`);

  // Job-level policies, reported where they were written.
  // A job-level Update is not validated on its own (Nomad validates the copies merged into the groups).
  const rawUpdate = obj(raw.Update);
  if (rawUpdate && (type === "batch" || type === "sysbatch") && hasNonZeroField(rawUpdate)) {
    if (isUpdateStub(rawUpdate))
      ctx.warn(
        ["Update"],
        "update.job-type.stub",
        `a ${type} job's Update holding only Stagger/MaxParallel is the read-back shape of old Nomad versions; drover drops it (canonicalize), but a Nomad server would merge it into the groups and reject the job: remove it`,
      );
    else ctx.error(["Update"], "update.job-type", `job type ${q(type)} does not allow an update block (only service and system jobs)`);
  }
  const rawReschedule = obj(raw.Reschedule);
  if (rawReschedule && (type === "system" || type === "sysbatch"))
    ctx.error(["Reschedule"], "reschedule.job-type", "system or sysbatch jobs should not have a reschedule policy");
  const rawMigrate = obj(raw.Migrate);
  if (rawMigrate && type !== "service" && JOB_TYPES.includes(type as (typeof JOB_TYPES)[number]))
    ctx.error(["Migrate"], "migrate.job-type", `job type ${q(type)} does not allow a migrate block (only service jobs)`);

  const names = new Map<string, number>();
  const rawGroups = Array.isArray(raw.TaskGroups) ? raw.TaskGroups : [];
  for (const [g, i] of items(c.TaskGroups)) {
    const name = str(g.Name) ?? "";
    // structs.go (*Job).Validate: "Job task group %d missing name", "Job task group %d redefines '%s' from group %d"
    if (name === "") ctx.error(["TaskGroups", i, "Name"], "group.name.required", "missing task group name");
    else if (names.has(name))
      ctx.error(["TaskGroups", i, "Name"], "group.name.duplicate", `task group ${q(name)} is already defined by group ${names.get(name)}`);
    else names.set(name, i);
    checkGroup(ctx, g, obj(rawGroups[i]), ["TaskGroups", i], type, { rawUpdate, rawReschedule, rawMigrate });
  }

  const periodic = obj(c.Periodic);
  if (periodic && periodic.Enabled !== false) checkPeriodic(ctx, periodic, type);
  const param = obj(c.ParameterizedJob);
  if (param) {
    // structs.go: "Parameterized job can only be used with %q or %q scheduler"
    if (type !== "batch" && type !== "sysbatch")
      ctx.error(
        ["ParameterizedJob"],
        "parameterized.job-type",
        `a parameterized job must be of type "batch" or "sysbatch" (got ${q(type)})`,
      );
    const req = new Set(strings(param.MetaRequired));
    const both = strings(param.MetaOptional).filter((k) => req.has(k));
    if (both.length > 0)
      ctx.error(
        ["ParameterizedJob", "MetaOptional"],
        "parameterized.meta.disjoint",
        `required and optional meta keys must be disjoint; both list ${both.map((k) => q(k)).join(", ")}`,
      );
  }
  const mr = obj(c.Multiregion);
  if (mr) checkMultiregion(ctx, mr);
}

/** True when any field of a policy block is set (not null). */
function hasSetField(o: Obj): boolean {
  return Object.values(o).some((v) => v !== null && v !== undefined);
}

/** True when any field is set to a non-zero value (a read-back Update stub of a batch job is all zeros). */
function hasNonZeroField(o: Obj): boolean {
  return Object.values(o).some((v) => v !== null && v !== undefined && v !== 0 && v !== "" && v !== false);
}

function checkPeriodic(ctx: RuleContext, p: Obj, type: string): void {
  // structs.go (*Job).Validate: "Periodic can only be used with %q or %q scheduler"
  if (type !== "batch" && type !== "sysbatch" && JOB_TYPES.includes(type as (typeof JOB_TYPES)[number]))
    ctx.error(["Periodic"], "periodic.job-type", `a periodic job must be of type "batch" or "sysbatch" (got ${q(type)})`);
  const spec = str(p.Spec) ?? "";
  const specs = strings(p.Specs);
  // (*PeriodicConfig).Validate: "Only cron or crons may be used", "Must specify a spec"
  if (spec !== "" && specs.length > 0) ctx.error(["Periodic", "Specs"], "periodic.spec.both", "use either Spec or Specs, not both");
  if (spec === "" && specs.length === 0)
    ctx.error(["Periodic", "Spec"], "periodic.spec.required", "an enabled periodic block must have a Spec (or Specs)");
  const specType = str(p.SpecType) ?? "cron";
  if (specType !== "cron")
    ctx.error(["Periodic", "SpecType"], "periodic.spec-type", `unknown periodic specification type ${q(specType)} (only "cron")`);
  else {
    if (spec !== "") {
      const e = cronSpecError(spec);
      if (e) ctx.error(["Periodic", "Spec"], "periodic.spec.invalid", `invalid cron spec ${q(spec)}: ${e}`);
    }
    specs.forEach((s, i) => {
      const e = cronSpecError(s);
      if (e) ctx.error(["Periodic", "Specs", i], "periodic.spec.invalid", `invalid cron spec ${q(s)}: ${e}`);
    });
  }
  const tz = str(p.TimeZone) ?? "";
  if (!isKnownTimeZone(tz))
    ctx.error(
      ["Periodic", "TimeZone"],
      "periodic.time-zone",
      `invalid time zone ${q(tz)}: not an IANA time zone name such as "America/New_York"`,
    );
}

function checkMultiregion(ctx: RuleContext, m: Obj): void {
  const onFailure = str(obj(m.Strategy)?.OnFailure) ?? "";
  if (onFailure !== "" && !(MULTIREGION_ON_FAILURE as readonly string[]).includes(onFailure))
    ctx.error(
      ["Multiregion", "Strategy", "OnFailure"],
      "multiregion.on-failure",
      `OnFailure must be "fail_all", "fail_local" or empty (got ${q(onFailure)})`,
    );
  const seen = new Set<string>();
  for (const [r, i] of items(m.Regions)) {
    const name = str(r.Name) ?? "";
    if (name === "") ctx.error(["Multiregion", "Regions", i, "Name"], "multiregion.region.name", "a multiregion region must have a Name");
    else if (seen.has(name))
      ctx.error(
        ["Multiregion", "Regions", i, "Name"],
        "multiregion.region.duplicate",
        `multiregion region ${q(name)} can't be listed twice`,
      );
    seen.add(name);
    const count = num(r.Count);
    if (count !== undefined && count < 0)
      ctx.error(["Multiregion", "Regions", i, "Count"], "multiregion.region.count", `count must not be negative (got ${count})`);
  }
}

interface JobPolicies {
  rawUpdate: Obj | undefined;
  rawReschedule: Obj | undefined;
  rawMigrate: Obj | undefined;
}

function checkGroup(ctx: RuleContext, g: Obj, raw: Obj | undefined, path: Path, type: string, jp: JobPolicies): void {
  const name = str(g.Name) ?? "";
  if (name.includes("\0")) ctx.error([...path, "Name"], "group.name.nul", "task group name contains a null character");
  const count = num(g.Count);
  if (count !== undefined && count < 0)
    ctx.error([...path, "Count"], "group.count.negative", `task group count can't be negative (got ${count})`);
  // structs.go (*Job).Validate: "Count cannot exceed 1 with system scheduler"
  if (type === "system" && count !== undefined && count > 1)
    ctx.error([...path, "Count"], "system.count", `system jobs run one allocation per node: Count must be 0 or 1 (got ${count})`);
  // Nomad's job hooks add the gateway task of a Consul Connect gateway service before validating (jobConnectHook).
  const connectGateway = Array.isArray(g.Services) && g.Services.some((s) => isObj(s) && isObj(s.Connect) && isObj(s.Connect.Gateway));
  if ((!Array.isArray(g.Tasks) || g.Tasks.length === 0) && !connectGateway)
    ctx.error([...path, "Tasks"], "group.tasks.required", "missing tasks for task group");

  const mrd = num(g.MaxRunDuration);
  if (mrd !== undefined) {
    if (type !== "batch" && type !== "sysbatch")
      ctx.error(
        [...path, "MaxRunDuration"],
        "group.max-run-duration.job-type",
        `job type ${q(type)} does not allow MaxRunDuration (only batch and sysbatch)`,
      );
    else if (mrd <= 0)
      ctx.error([...path, "MaxRunDuration"], "group.max-run-duration.positive", "MaxRunDuration must be greater than zero");
  }

  checkPlacement(ctx, g, path, { taskLevel: false, system: type === "system", raw });

  const rp = obj(g.RestartPolicy);
  if (rp) checkRestartPolicy(ctx, rp, [...path, "RestartPolicy"]);

  // Reschedule: system/sysbatch may not have one (a job-level one was reported at Job.Reschedule).
  if (type === "system" || type === "sysbatch") {
    if (raw && isObj(raw.ReschedulePolicy))
      ctx.error([...path, "ReschedulePolicy"], "reschedule.job-type", "system or sysbatch jobs should not have a reschedule policy");
  } else {
    const rs = obj(g.ReschedulePolicy);
    if (rs && (isObj(raw?.ReschedulePolicy) || jp.rawReschedule))
      checkReschedulePolicy(ctx, rs, raw && isObj(raw.ReschedulePolicy) ? [...path, "ReschedulePolicy"] : ["Reschedule"]);
  }

  const disk = obj(g.EphemeralDisk);
  const size = num(disk?.SizeMB);
  // structs.go (*EphemeralDisk).Validate: "minimum DiskMB value is 10; got %d"
  if (size !== undefined && size < 10)
    ctx.error([...path, "EphemeralDisk", "SizeMB"], "ephemeral-disk.size.min", `minimum SizeMB value is 10; got ${size}`);

  const rawUpdate = obj(raw?.Update);
  if (rawUpdate && hasSetField(rawUpdate) && (type === "batch" || type === "sysbatch"))
    ctx.error([...path, "Update"], "update.job-type", `job type ${q(type)} does not allow an update block (only service and system jobs)`);
  else if (isObj(g.Update) && (rawUpdate || jp.rawUpdate) && (type === "service" || type === "system"))
    // The merged copy is judged; a problem inherited from Job.Update is reported there (once).
    checkUpdateStrategy(ctx, g.Update, rawUpdate ? [...path, "Update"] : ["Update"]);

  const rawMigrate = obj(raw?.Migrate);
  if (rawMigrate && type !== "service" && JOB_TYPES.includes(type as (typeof JOB_TYPES)[number]))
    ctx.error([...path, "Migrate"], "migrate.job-type", `job type ${q(type)} does not allow a migrate block (only service jobs)`);
  else if (isObj(g.Migrate) && (rawMigrate || jp.rawMigrate))
    checkMigrateStrategy(ctx, g.Migrate, rawMigrate ? [...path, "Migrate"] : ["Migrate"]);

  // Tasks: names unique, one leader, at least one main task.
  const taskNames = new Map<string, number>();
  let leaders = 0;
  let mains = 0;
  for (const [t, i] of items(g.Tasks)) {
    const n = str(t.Name) ?? "";
    if (n !== "") {
      // structs.go (*TaskGroup).Validate: "Task %d redefines '%s' from task %d"
      if (taskNames.has(n))
        ctx.error([...path, "Tasks", i, "Name"], "task.name.duplicate", `task ${q(n)} is already defined by task ${taskNames.get(n)}`);
      else taskNames.set(n, i);
    }
    if (t.Leader === true) leaders++;
    if (!isObj(t.Lifecycle)) mains++;
  }
  if (leaders > 1) ctx.error([...path, "Tasks"], "group.leader.multiple", "only one task may be marked as leader");
  if (Array.isArray(g.Tasks) && g.Tasks.length > 0 && mains === 0)
    ctx.error(
      [...path, "Tasks"],
      "group.main-task.required",
      `task group ${q(name)} must have at least one main task (a task without a Lifecycle block)`,
    );

  // Volumes
  const volumes = new Set<string>();
  const vols = obj(g.Volumes);
  if (vols)
    for (const [key, v] of Object.entries(vols)) {
      volumes.add(key);
      if (!isObj(v)) continue;
      const vp = [...path, "Volumes", key];
      const vt = str(v.Type) ?? "";
      // command/agent/job_endpoint.go ApiTgToStructsTG drops volumes of other types silently
      if (vt === "")
        ctx.error(
          [...vp, "Type"],
          "volume.type.required",
          'a volume must have a Type: "host" or "csi" (Nomad silently drops volumes without one)',
        );
      if ((str(v.Source) ?? "") === "") ctx.error([...vp, "Source"], "volume.source.required", "a volume must have a Source");
      // structs/volumes.go (*VolumeRequest).Validate: per_alloc (host or CSI) names a volume per allocation index.
      if (v.PerAlloc === true) {
        if (type === "system" || type === "sysbatch")
          ctx.error([...vp, "PerAlloc"], "volume.per-alloc.job-type", "volume cannot be per_alloc for system or sysbatch jobs");
        if ((num(obj(g.Update)?.Canary) ?? 0) > 0)
          ctx.error([...vp, "PerAlloc"], "volume.per-alloc.canary", "volume cannot be per_alloc when canaries are in use");
        if (v.Sticky === true)
          ctx.error([...vp, "PerAlloc"], "volume.per-alloc.sticky", "volume cannot be per_alloc and sticky at the same time");
      }
    }

  // Networks and ports (structs.go (*TaskGroup).validateNetworks)
  const portLabels = new Set<string>();
  const staticPorts = new Map<string, string>();
  const networks = items(g.Networks);
  const checkPorts = (nets: [Obj, number][], base: Path, scope: Set<string>) => {
    for (const [n, ni] of nets) {
      for (const kind of ["ReservedPorts", "DynamicPorts"] as const) {
        for (const [p, pi] of items(n[kind])) {
          const pp = [...base, ni, kind, pi];
          const label = str(p.Label) ?? "";
          if (label === "") ctx.error([...pp, "Label"], "port.label.required", "a port must have a Label");
          else if (scope.has(label)) ctx.error([...pp, "Label"], "port.label.duplicate", `port label ${q(label)} is already in use`);
          else scope.add(label);
          const value = num(p.Value);
          const to = num(p.To);
          if (value !== undefined && (value < 0 || value > 65535))
            ctx.error([...pp, "Value"], "port.value.range", `port ${value} is out of range 0..65535`);
          if (to !== undefined && (to < -1 || to > 65535))
            ctx.error([...pp, "To"], "port.to.range", `port mapping To ${to} is out of range -1..65535`);
          if (kind === "DynamicPorts" && value !== undefined && value !== 0)
            ctx.error(
              [...pp, "Value"],
              "port.dynamic.value",
              `a dynamic port cannot have a static Value (${value}); move it to ReservedPorts`,
            );
          if (kind === "ReservedPorts" && value !== undefined && value > 0) {
            const hostNet = str(p.HostNetwork) || "default";
            const key = `${hostNet}:${value}`;
            // structs.go validateNetworks: "Static port %d already reserved by %s"
            if (staticPorts.has(key) && p.IgnoreCollision !== true)
              ctx.error([...pp, "Value"], "port.static.duplicate", `static port ${value} is already reserved by ${staticPorts.get(key)}`);
            else staticPorts.set(key, label);
          }
        }
      }
      const mode = str(n.Mode) ?? "";
      if (mode !== "" && !["host", "bridge", "none"].includes(mode) && !mode.startsWith("cni/"))
        ctx.error([...base, ni, "Mode"], "network.mode", `network mode ${q(mode)} must be "host", "bridge", "none" or "cni/<name>"`);
    }
  };
  checkPorts(networks, [...path, "Networks"], portLabels);

  checkServices(ctx, g.Services, [...path, "Services"], portLabels, undefined);

  // Scaling (structs.go (*TaskGroup).validateScalingPolicy, (*ScalingPolicy).Validate)
  const scaling = obj(g.Scaling);
  if (scaling) {
    const sp = [...path, "Scaling"];
    // command/agent/job_endpoint.go: system jobs cannot be scaled (400 "Task groups with job type system do not support scaling blocks")
    if (type === "system") ctx.error(sp, "system.scaling", "system jobs do not support a scaling block");
    // structs_ce.go validateType: a group's policy is horizontal (vertical policies are task-level, Nomad Enterprise).
    if (typeof scaling.Type === "string" && scaling.Type !== "" && scaling.Type !== "horizontal")
      ctx.error([...sp, "Type"], "scaling.type", `scaling policy type ${q(scaling.Type)} is not valid`);
    const min = num(scaling.Min);
    const max = num(scaling.Max);
    if (max === undefined) ctx.error([...sp, "Max"], "scaling.max.required", "maximum count must be specified and non-negative");
    else if (max < 0) ctx.error([...sp, "Max"], "scaling.max.negative", `maximum count must be non-negative (got ${max})`);
    else if (min !== undefined && max < min)
      ctx.error([...sp, "Max"], "scaling.max.min", `maximum count (${max}) must not be less than minimum count (${min})`);
    if (min !== undefined && min < 0) ctx.error([...sp, "Min"], "scaling.min.negative", `minimum count must be non-negative (got ${min})`);
    if (count !== undefined && max !== undefined && max >= 0 && count > max)
      ctx.error(
        [...path, "Count"],
        "scaling.count.max",
        `task group count (${count}) must not be greater than the scaling policy's maximum (${max})`,
      );
    if (count !== undefined && min !== undefined && count < min)
      ctx.error(
        [...path, "Count"],
        "scaling.count.min",
        `task group count (${count}) must not be less than the scaling policy's minimum (${min})`,
      );
  }

  // nomad/structs/group.go (*DisconnectStrategy).Validate
  const disconnect = obj(g.Disconnect);
  if (disconnect && disconnect.StopOnClientAfter !== undefined) {
    if (type !== "service" && type !== "batch")
      ctx.error(
        [...path, "Disconnect", "StopOnClientAfter"],
        "disconnect.stop-after.job-type",
        `StopOnClientAfter can only be used with service or batch jobs (got ${q(type)})`,
      );
    if ((num(disconnect.LostAfter) ?? 0) !== 0)
      ctx.error(
        [...path, "Disconnect", "LostAfter"],
        "disconnect.stop-and-lost",
        "StopOnClientAfter and LostAfter can't be used at the same time",
      );
  }

  // Tasks
  const rawTasks = Array.isArray(raw?.Tasks) ? (raw!.Tasks as unknown[]) : [];
  for (const [t, i] of items(g.Tasks)) checkTask(ctx, t, obj(rawTasks[i]), [...path, "Tasks", i], g, type, volumes, portLabels);
}
