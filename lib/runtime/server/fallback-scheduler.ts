/**
 * A small stand-in scheduler, used only until lib/runtime/scheduler exports
 * `newScheduler`. It covers what the server and the end-to-end tests need:
 * count-based placement for service and batch jobs (first the fullest node
 * that fits: bin-packing), one allocation per feasible node for system and
 * sysbatch jobs, stops for a stopped job or a lower count, in-place versus
 * destructive updates (a subset of Nomad's `tasksUpdated`), replacement of
 * allocations lost on down nodes, FailedTGAllocs with a blocked eval, and
 * annotations for plans. It is not the placement stack: no constraints
 * beyond datacenter, node pool and driver, no affinities, spreads, ports,
 * canaries or deployments.
 */
import type { AllocMetric, Allocation, AllocatedTaskResources, DesiredUpdates, Evaluation, Node, Plan, StoredJob } from "../structs";
import { allocName, allocNameIndex, allocTerminal, newAllocMetric, nodeIsReady } from "../structs";
import type { Planner, Scheduler, SchedulerFactory, SchedulerOptions, SchedulerState } from "../scheduler/interfaces";

type Obj = Record<string, unknown>;
interface TaskLike extends Obj {
  Name: string;
  Driver: string;
  Resources?: { CPU?: number | null; MemoryMB?: number | null; MemoryMaxMB?: number | null } | null;
}
interface GroupLike extends Obj {
  Name: string;
  Count?: number | null;
  Tasks: TaskLike[];
  EphemeralDisk?: { SizeMB?: number | null } | null;
}

function emptyDesired(): DesiredUpdates {
  return { Ignore: 0, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0, Disconnect: 0, Reconnect: 0, RescheduleNow: 0, RescheduleLater: 0 };
}

function stable(v: unknown): string {
  return JSON.stringify(v ?? null);
}

/** Nomad's `tasksUpdated`, reduced to the fields most jobs use: a true result forces a destructive update. */
export function tasksUpdated(a: StoredJob, b: StoredJob, group: string): boolean {
  const ga = (a.TaskGroups as unknown as GroupLike[]).find((g) => g.Name === group);
  const gb = (b.TaskGroups as unknown as GroupLike[]).find((g) => g.Name === group);
  if (!ga || !gb) return true;
  if (ga.Tasks.length !== gb.Tasks.length) return true;
  if (stable(ga.EphemeralDisk) !== stable(gb.EphemeralDisk) || stable(ga.Networks) !== stable(gb.Networks) || stable(ga.Volumes) !== stable(gb.Volumes)) return true;
  const metaA = stable({ ...(a.Meta as Obj), ...(ga.Meta as Obj) });
  const metaB = stable({ ...(b.Meta as Obj), ...(gb.Meta as Obj) });
  for (const ta of ga.Tasks) {
    const tb = gb.Tasks.find((t) => t.Name === ta.Name);
    if (!tb) return true;
    for (const k of ["Driver", "User", "Config", "Env", "Artifacts", "Vault", "Templates", "VolumeMounts", "Identity", "Identities"])
      if (stable(ta[k]) !== stable(tb[k])) return true;
    if (metaA !== metaB || stable(ta.Meta) !== stable(tb.Meta)) return true;
    const ra = ta.Resources ?? {};
    const rb = tb.Resources ?? {};
    if (ra.CPU !== rb.CPU || ra.MemoryMB !== rb.MemoryMB || ra.MemoryMaxMB !== rb.MemoryMaxMB) return true;
  }
  return false;
}

function taskResources(tg: GroupLike): Record<string, AllocatedTaskResources> {
  const out: Record<string, AllocatedTaskResources> = {};
  for (const t of tg.Tasks)
    out[t.Name] = {
      Cpu: { CpuShares: t.Resources?.CPU ?? 100, ReservedCores: null },
      Memory: { MemoryMB: t.Resources?.MemoryMB ?? 300, MemoryMaxMB: t.Resources?.MemoryMaxMB ?? 0 },
      Networks: null,
      Devices: null,
    };
  return out;
}

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
  return re.test(value);
}

class FallbackScheduler implements Scheduler {
  constructor(
    private readonly type: string,
    private readonly state: SchedulerState,
    private readonly planner: Planner,
    private readonly options: SchedulerOptions,
  ) {}

  process(evaluation: Evaluation): void {
    let failed: Record<string, AllocMetric> = {};
    let queued: Record<string, number> = {};
    let plan: Plan | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      ({ plan, failed, queued } = this.computePlan(evaluation));
      if (evaluation.AnnotatePlan) break;
      const empty = Object.keys(plan.NodeUpdate).length === 0 && Object.keys(plan.NodeAllocation).length === 0;
      if (empty) break;
      const result = this.planner.submitPlan(plan);
      if (result.RefreshIndex === 0) break;
    }
    if (evaluation.AnnotatePlan && plan) this.planner.submitPlan(plan);
    const updated: Evaluation = { ...evaluation, Status: "complete", StatusDescription: "", FailedTGAllocs: Object.keys(failed).length ? failed : null, QueuedAllocations: queued, ModifyTime: this.options.now() };
    if (Object.keys(failed).length > 0 && !evaluation.AnnotatePlan && evaluation.Status !== "blocked") {
      const blocked: Evaluation = {
        ...evaluation,
        ID: this.options.newID(),
        Status: "blocked",
        StatusDescription: "created due to placement conflicts",
        TriggeredBy: "queued-allocs",
        PreviousEval: evaluation.ID,
        NextEval: "",
        BlockedEval: "",
        FailedTGAllocs: null,
        ClassEligibility: null,
        EscapedComputedClass: true,
        QueuedAllocations: null,
        SnapshotIndex: this.state.latestIndex(),
        Wait: 0,
        WaitUntil: null,
        CreateIndex: 0,
        ModifyIndex: 0,
        CreateTime: this.options.now(),
        ModifyTime: this.options.now(),
      };
      updated.BlockedEval = blocked.ID;
      this.planner.createEval(blocked);
    } else if (Object.keys(failed).length > 0 && evaluation.Status === "blocked") {
      this.planner.reblockEval({ ...evaluation, SnapshotIndex: this.state.latestIndex() });
      return;
    }
    this.planner.updateEval(updated);
  }

  private feasibleNodes(job: StoredJob, tg: GroupLike): Node[] {
    const dcs = (job.Datacenters as string[] | undefined) ?? ["*"];
    const pool = (job.NodePool as string | undefined) ?? "default";
    return this.state.nodes().filter(
      (n) =>
        nodeIsReady(n) &&
        dcs.some((d) => globMatch(d, n.Datacenter)) &&
        (pool === "all" || n.NodePool === pool) &&
        tg.Tasks.every((t) => n.Attributes[`driver.${t.Driver}`] !== undefined || n.Drivers[t.Driver]?.Healthy),
    );
  }

  private computePlan(evaluation: Evaluation): { plan: Plan; failed: Record<string, AllocMetric>; queued: Record<string, number> } {
    const job = this.state.jobByID(evaluation.Namespace, evaluation.JobID);
    const plan: Plan = {
      EvalID: evaluation.ID,
      EvalToken: "",
      Priority: evaluation.Priority,
      Job: job ?? null,
      AllAtOnce: false,
      NodeUpdate: {},
      NodeAllocation: {},
      NodePreemptions: {},
      Deployment: null,
      DeploymentUpdates: [],
      Annotations: evaluation.AnnotatePlan ? { DesiredTGUpdates: {}, PreemptedAllocs: null } : null,
      SnapshotIndex: this.state.latestIndex(),
    };
    const failed: Record<string, AllocMetric> = {};
    const queued: Record<string, number> = {};
    const now = this.options.now();
    const planned = new Map<string, { cpu: number; mem: number; disk: number }>();
    const stop = (a: Allocation, desc: string, clientStatus?: Allocation["ClientStatus"]) => {
      const copy: Allocation = { ...a, DesiredStatus: "stop", DesiredDescription: desc, ModifyTime: now };
      if (clientStatus) copy.ClientStatus = clientStatus;
      (plan.NodeUpdate[a.NodeID] ??= []).push(copy);
    };
    const allocs = this.state.allocsByJob(evaluation.Namespace, evaluation.JobID);
    const groups = ((job?.TaskGroups ?? []) as unknown as GroupLike[]);
    const stopped = !job || Boolean(job.Stop);
    // Allocations of groups no longer in the job, or of a stopped job.
    for (const a of allocs) {
      if (allocTerminal(a)) continue;
      if (stopped || !groups.some((g) => g.Name === a.TaskGroup)) {
        stop(a, "alloc not needed due to job update");
        if (plan.Annotations) (plan.Annotations.DesiredTGUpdates[a.TaskGroup] ??= emptyDesired()).Stop++;
      }
    }
    if (stopped || !job) return { plan, failed, queued };
    const system = this.type === "system" || this.type === "sysbatch";
    const batchLike = this.type === "batch" || this.type === "sysbatch";
    for (const tg of groups) {
      const desired = emptyDesired();
      if (plan.Annotations) plan.Annotations.DesiredTGUpdates[tg.Name] = desired;
      const live: Allocation[] = [];
      const migrating: Allocation[] = [];
      const done = new Set<string>();
      for (const a of allocs) {
        if (a.TaskGroup !== tg.Name) continue;
        if (a.DesiredStatus !== "run") continue;
        const node = this.state.nodeByID(a.NodeID);
        if (!allocTerminal(a) && (!node || node.Status === "down")) {
          stop(a, "alloc is lost since its node is down", "lost");
          continue;
        }
        if (a.ClientStatus === "complete" && batchLike) {
          done.add(system ? a.NodeID : String(allocNameIndex(a.Name)));
          continue;
        }
        if (allocTerminal(a)) continue;
        if (a.DesiredTransition?.Migrate) {
          stop(a, "alloc is being migrated");
          desired.Migrate++;
          if (!system) migrating.push(a);
          continue;
        }
        live.push(a);
      }
      const places: { name: string; nodeID?: string; previous?: Allocation }[] = [];
      const keep: Allocation[] = [];
      for (const a of live) {
        const updateNeeded = a.Job.JobModifyIndex !== job.JobModifyIndex;
        if (!updateNeeded) {
          keep.push(a);
          continue;
        }
        if (tasksUpdated(a.Job, job, tg.Name)) {
          stop(a, "alloc is being updated due to job update");
          desired.DestructiveUpdate++;
          places.push({ name: a.Name, nodeID: system ? a.NodeID : undefined, previous: a });
        } else {
          desired.InPlaceUpdate++;
          const updated: Allocation = { ...a, Job: job, EvalID: evaluation.ID, ModifyTime: now };
          (plan.NodeAllocation[a.NodeID] ??= []).push(updated);
          keep.push(a);
        }
      }
      for (const a of migrating) places.push({ name: a.Name, previous: a });
      const feasible = this.feasibleNodes(job, tg);
      if (system) {
        const have = new Set([...keep, ...places.filter((p) => p.nodeID).map((p) => ({ NodeID: p.nodeID as string }))].map((a) => a.NodeID));
        for (const a of keep) if (!feasible.some((n) => n.ID === a.NodeID)) {
          stop(a, "alloc not needed as node is tainted");
          desired.Stop++;
        }
        for (const n of feasible) if (!have.has(n.ID) && !done.has(n.ID)) places.push({ name: allocName(job.ID, tg.Name, 0), nodeID: n.ID });
        desired.Ignore += keep.length - desired.InPlaceUpdate;
      } else {
        const count = tg.Count ?? 1;
        const used = new Set<number>();
        const byIndex = [...keep].sort((x, y) => allocNameIndex(x.Name) - allocNameIndex(y.Name));
        for (const a of byIndex) {
          const i = allocNameIndex(a.Name);
          if (i >= count || used.has(i)) {
            stop(a, "alloc not needed due to job update");
            desired.Stop++;
            continue;
          }
          used.add(i);
        }
        for (let i = places.length - 1; i >= 0; i--) {
          const idx = allocNameIndex(places[i].name);
          if (idx >= count || used.has(idx)) places.splice(i, 1);
          else used.add(idx);
        }
        for (let i = 0; i < count; i++) if (!used.has(i) && !done.has(String(i))) places.push({ name: allocName(job.ID, tg.Name, i) });
        desired.Ignore += Math.max(0, keep.length - desired.InPlaceUpdate - desired.Stop);
      }
      const resources = taskResources(tg);
      let cpu = 0;
      let mem = 0;
      for (const t of Object.values(resources)) {
        cpu += t.Cpu.CpuShares;
        mem += t.Memory.MemoryMB;
      }
      const disk = tg.EphemeralDisk?.SizeMB ?? 300;
      for (const p of places) {
        const candidates = p.nodeID ? feasible.filter((n) => n.ID === p.nodeID) : feasible;
        const metric = newAllocMetric();
        metric.NodesEvaluated = candidates.length;
        metric.NodesInPool = feasible.length;
        let best: Node | undefined;
        let bestScore = -1;
        for (const n of candidates) {
          const base = this.usage(n, planned, plan);
          const capCpu = n.NodeResources.Cpu.CpuShares - (n.ReservedResources?.Cpu?.CpuShares ?? 0);
          const capMem = n.NodeResources.Memory.MemoryMB - (n.ReservedResources?.Memory?.MemoryMB ?? 0);
          const capDisk = n.NodeResources.Disk.DiskMB - (n.ReservedResources?.Disk?.DiskMB ?? 0);
          let dim = "";
          if (base.cpu + cpu > capCpu) dim = "cpu";
          else if (base.mem + mem > capMem) dim = "memory";
          else if (base.disk + disk > capDisk) dim = "disk";
          if (dim) {
            metric.NodesExhausted++;
            metric.DimensionExhausted = { ...(metric.DimensionExhausted ?? {}), [dim]: (metric.DimensionExhausted?.[dim] ?? 0) + 1 };
            continue;
          }
          const score = ((base.cpu + cpu) / capCpu + (base.mem + mem) / capMem) / 2;
          if (score > bestScore) {
            bestScore = score;
            best = n;
          }
        }
        if (!best) {
          if (failed[tg.Name]) failed[tg.Name].CoalescedFailures++;
          else failed[tg.Name] = metric;
          queued[tg.Name] = (queued[tg.Name] ?? 0) + 1;
          continue;
        }
        const prev = planned.get(best.ID) ?? { cpu: 0, mem: 0, disk: 0 };
        planned.set(best.ID, { cpu: prev.cpu + cpu, mem: prev.mem + mem, disk: prev.disk + disk });
        if (!p.previous) desired.Place++;
        const alloc: Allocation = {
          ID: this.options.newID(),
          Namespace: job.Namespace,
          EvalID: evaluation.ID,
          Name: p.name,
          NodeID: best.ID,
          NodeName: best.Name,
          JobID: job.ID,
          Job: job,
          TaskGroup: tg.Name,
          AllocatedResources: { Tasks: resources, Shared: { DiskMB: disk, Networks: null, Ports: null } },
          Metrics: metric,
          DesiredStatus: "run",
          DesiredDescription: "",
          DesiredTransition: { Migrate: null, Reschedule: null, ForceReschedule: null, NoShutdownDelay: null },
          ClientStatus: "pending",
          ClientDescription: "",
          TaskStates: null,
          PreviousAllocation: p.previous?.ID ?? "",
          NextAllocation: "",
          DeploymentID: "",
          DeploymentStatus: null,
          RescheduleTracker: null,
          FollowupEvalID: "",
          CreateIndex: 0,
          ModifyIndex: 0,
          AllocModifyIndex: 0,
          CreateTime: now,
          ModifyTime: now,
        };
        (plan.NodeAllocation[best.ID] ??= []).push(alloc);
      }
      if (!(tg.Name in queued)) queued[tg.Name] = 0;
    }
    return { plan, failed, queued };
  }

  private usage(n: Node, planned: Map<string, { cpu: number; mem: number; disk: number }>, plan: Plan): { cpu: number; mem: number; disk: number } {
    const stopping = new Set((plan.NodeUpdate[n.ID] ?? []).map((a) => a.ID));
    let cpu = 0;
    let mem = 0;
    let disk = 0;
    for (const a of this.state.allocsByNode(n.ID)) {
      if (allocTerminal(a) || stopping.has(a.ID)) continue;
      for (const t of Object.values(a.AllocatedResources.Tasks)) {
        cpu += t.Cpu.CpuShares;
        mem += t.Memory.MemoryMB;
      }
      disk += a.AllocatedResources.Shared.DiskMB;
    }
    const p = planned.get(n.ID);
    return { cpu: cpu + (p?.cpu ?? 0), mem: mem + (p?.mem ?? 0), disk: disk + (p?.disk ?? 0) };
  }
}

/** Builds the stand-in scheduler for any job type. */
export const fallbackSchedulerFactory: SchedulerFactory = (type, state, planner, options) => new FallbackScheduler(type, state, planner, options);
