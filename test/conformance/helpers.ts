/**
 * Shared pieces of the conformance suite: clusters of mock nodes in the
 * scheduler harness (Nomad's `scheduler/tests` Harness and `nomad/mock`), and
 * small readers of what the scheduler decided.
 */
import type { Allocation, Evaluation, Node, StoredJob } from "../../lib/runtime/structs";
import { allocNameIndex } from "../../lib/runtime/structs";
import { Harness, mockJob, mockNode } from "../../lib/runtime/scheduler";
import { jobView, type ConstraintView, type JobView, type TaskGroupView } from "../../lib/runtime/scheduler/job-view";
import type { MockJobOverrides, MockNodeOverrides } from "../../lib/runtime/scheduler/mock";

export { Harness, mockJob, mockNode };

/** Nanoseconds in a second. */
export const SEC = 1e9;

/** A harness with `n` mock nodes (each built by `node(i)`, default a plain mock node). */
export function cluster(n: number, node: (i: number) => MockNodeOverrides = () => ({})): { h: Harness; nodes: Node[] } {
  const h = new Harness();
  const nodes: Node[] = [];
  for (let i = 0; i < n; i++) nodes.push(h.upsertNode(mockNode(node(i))));
  return { h, nodes };
}

/** A count-1 mock service job without networks whose only job-level constraint is `c` (none when null). */
export function constrainedJob(c: ConstraintView | null, overrides: MockJobOverrides = {}): StoredJob {
  return mockJob({ Constraints: c ? [c] : [], ...overrides, group: { Count: 1, Networks: null, ...(overrides.group ?? {}) } });
}

/** Runs one evaluation of a one-node cluster (node built from `node`) for a count-1 job constrained by `c`; true when it placed. */
export function placesOn(node: MockNodeOverrides, c: ConstraintView): boolean {
  const { h } = cluster(1, () => node);
  const job = h.upsertJob(constrainedJob(c));
  h.run(job);
  return h.liveAllocs("default", job.ID).length === 1;
}

/** The node that resolves `${meta.v}` to `v`, or has no meta `v` when v is null. */
export function nodeWithMeta(v: string | null): MockNodeOverrides {
  return v === null ? { Meta: {} } : { Meta: { v } };
}

/** A constraint target: `${meta.v}` when the value is set on the node, an unresolvable `${meta.absent}` for null, else the literal. */
export function target(v: string | null, literal: string | null): string {
  return v === null ? "${meta.absent}" : (literal ?? "${meta.v}");
}

/** Allocations placed and stopped by the plan of an evaluation (empty when it submitted none). */
export function planOf(
  h: Harness,
  ev: Evaluation,
): { placed: Allocation[]; stopped: Allocation[]; plan: ReturnType<Harness["lastPlan"]> | undefined } {
  const plan = h.plans.find((p) => p.EvalID === ev.ID);
  return {
    placed: plan ? Object.values(plan.NodeAllocation).flat() : [],
    stopped: plan ? Object.values(plan.NodeUpdate).flat() : [],
    plan,
  };
}

/** The name indexes of allocations, sorted. */
export const nameIndexes = (allocs: readonly Allocation[]): number[] => allocs.map((a) => allocNameIndex(a.Name)).sort((x, y) => x - y);

/** Marks the job's live allocations running (and, inside a deployment, healthy or not). */
export function markRunning(h: Harness, jobID: string, healthy = true): void {
  h.upsertAllocs(
    h.liveAllocs("default", jobID).map((a) => ({
      ...a,
      ClientStatus: "running",
      DeploymentStatus: a.DeploymentID
        ? { Healthy: healthy, Timestamp: "2026-01-01T00:00:00Z", Canary: !!a.DeploymentStatus?.Canary, ModifyIndex: 0 }
        : a.DeploymentStatus,
    })),
  );
}

/** Registers a new version of the job with its first group (and the job) changed by `change`. */
export function update(h: Harness, job: StoredJob, change: (tg: TaskGroupView, j: JobView) => void): StoredJob {
  const copy = JSON.parse(JSON.stringify(job)) as StoredJob;
  change(jobView(copy).TaskGroups![0], jobView(copy));
  return h.upsertJob(copy);
}

/** The DesiredTGUpdates of the last plan for a group, without the zero counts. */
export function desired(h: Harness, group = "web"): Record<string, number> {
  const d = h.lastPlan().Annotations?.DesiredTGUpdates?.[group] as unknown as Record<string, number> | undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(d ?? {})) if (v) out[k] = v;
  return out;
}

/** Node resources of `cpu` MHz and `mem` MB (and `reservedCpu` / `reservedMem` reserved), 100 GiB disk, one host network. */
export function sized(cpu: number, mem: number, reservedCpu = 0, reservedMem = 0): MockNodeOverrides {
  const base = mockNode({ ID: "sizing-template" });
  return {
    NodeResources: { ...base.NodeResources, Cpu: { CpuShares: cpu }, Memory: { MemoryMB: mem } },
    ReservedResources: {
      ...base.ReservedResources,
      Cpu: { CpuShares: reservedCpu },
      Memory: { MemoryMB: reservedMem },
      Disk: { DiskMB: 0 },
    },
  };
}

/** Places a filler allocation of another job using `cpu` MHz and `mem` MB on the node. */
export function fill(h: Harness, nodeID: string, cpu: number, mem: number, id = `filler-${nodeID.slice(-4)}-${cpu}`): void {
  const job = h.upsertJob(
    mockJob({
      ID: id,
      Constraints: [{ LTarget: "${node.unique.id}", Operand: "=", RTarget: nodeID }],
      group: {
        Count: 1,
        Networks: null,
        EphemeralDisk: { SizeMB: 0 },
        Tasks: [{ Name: "fill", Driver: "exec", Resources: { CPU: cpu, MemoryMB: mem } }],
      },
    }),
  );
  h.run(job);
  if (h.liveAllocs("default", id).length !== 1) throw new Error(`filler ${id} did not fit on ${nodeID}`);
}

/** The node scores a placed allocation recorded, by node ID. */
export function scoresOf(a: Allocation): Map<string, { Scores: Record<string, number>; NormScore: number }> {
  return new Map((a.Metrics?.ScoreMetaData ?? []).map((s) => [s.NodeID, { Scores: s.Scores, NormScore: s.NormScore }]));
}

/** Marks an allocation failed at the harness's current time (its task finished now). */
export function failAlloc(h: Harness, a: Allocation): void {
  const at = new Date(h.now() / 1e6).toISOString();
  h.upsertAllocs([
    {
      ...a,
      ClientStatus: "failed",
      ModifyTime: h.now(),
      TaskStates: { web: { State: "dead", Failed: true, Restarts: 0, LastRestart: null, StartedAt: at, FinishedAt: at, Events: [] } },
    } as unknown as Allocation,
  ]);
}

/** A case title naming the Nomad test (or "path/file.go: Function") it follows; `coverage.ts` counts each use as a case. */
export function nomad(ref: string, what: string): string {
  return `${ref}: ${what}`;
}

/**
 * Writes running allocations of the job's first group onto the given nodes,
 * named `<job>.<group>[i]` from index `from` (as if an earlier evaluation had
 * placed them there). The allocation shape comes from a real placement of a
 * small template job.
 */
export function seedAllocs(h: Harness, job: StoredJob, nodeIDs: string[], from = 0): Allocation[] {
  let tmpl = h.liveAllocs("default", "seed-template")[0];
  if (!tmpl) {
    const t = h.upsertJob(
      mockJob({
        ID: "seed-template",
        Constraints: [],
        group: {
          Count: 1,
          Networks: null,
          EphemeralDisk: { SizeMB: 0 },
          Tasks: [{ Name: "t", Driver: "exec", Resources: { CPU: 1, MemoryMB: 1 } }],
        },
      }),
    );
    h.run(t);
    tmpl = h.liveAllocs("default", "seed-template")[0];
  }
  const view = jobView(job);
  const tg = view.TaskGroups![0];
  const out = nodeIDs.map((nodeID, i) => ({
    ...tmpl,
    ID: h.newID(),
    EvalID: h.newID(),
    NodeID: nodeID,
    NodeName: h.nodeByID(nodeID)?.Name ?? "",
    Namespace: job.Namespace,
    JobID: job.ID,
    Job: job,
    TaskGroup: tg.Name,
    Name: `${job.ID}.${tg.Name}[${from + i}]`,
    ClientStatus: "running" as const,
    Metrics: null,
  }));
  h.upsertAllocs(out as unknown as Allocation[]);
  return out as unknown as Allocation[];
}
