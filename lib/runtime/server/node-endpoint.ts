/**
 * Node operations of the server (Nomad's `nomad/node_endpoint.go`):
 * registration, heartbeats and status, eligibility, drain, and the
 * allocation updates clients report. Node changes that may add capacity
 * unblock blocked evals; nodes going down get `node-update` evaluations for
 * every job with allocations on them.
 */
import type { AllocDeploymentStatus, Allocation, DrainStrategy, Evaluation, Node, NodeStatus, TaskState } from "../structs";
import { allocClientTerminal, allocTerminal } from "../structs";
import type { StateTxn } from "../state";
import { ZERO_TIME, rfc3339 } from "./clock";
import { badRequest, notFound } from "./errors";
import { newJobEval } from "../structs";
import { nextLastDrain } from "./drain";
import type { Server } from "./server";
import { appendAll } from "../scheduler/util";

/** What a client reports about one allocation (`structs.Allocation` fields the client owns). */
export interface ClientAllocUpdate {
  ID: string;
  ClientStatus: Allocation["ClientStatus"];
  ClientDescription?: string;
  TaskStates?: Record<string, TaskState> | null;
  DeploymentStatus?: AllocDeploymentStatus | null;
}

/** `structs.NodeUpdateResponse` fields returned by eligibility and drain updates. */
export interface NodeUpdateResponse {
  EvalIDs: string[] | null;
  EvalCreateIndex: number;
  NodeModifyIndex: number;
  Index: number;
}

/** The response of a node update that created `evals` (none: `EvalIDs` null), written at store index `index`. */
function nodeUpdateResponse(evals: readonly Evaluation[], nodeModifyIndex: number, index: number): NodeUpdateResponse {
  return {
    EvalIDs: evals.length ? evals.map((e) => e.ID) : null,
    EvalCreateIndex: evals[0]?.CreateIndex ?? 0,
    NodeModifyIndex: nodeModifyIndex,
    Index: index,
  };
}

/** A drain request (`api.NodeUpdateDrainRequest`). */
export interface DrainRequest {
  /** Null cancels the drain. */
  DrainSpec: { Deadline?: number; IgnoreSystemJobs?: boolean } | null;
  /** With a cancel: make the node eligible again. */
  MarkEligible?: boolean;
  Meta?: Record<string, string> | null;
}

/** The node endpoint. */
export class NodeEndpoint {
  constructor(private readonly server: Server) {}

  private get store() {
    return this.server.store;
  }

  private event(message: string, index: number): Node["Events"][number] {
    return { Message: message, Subsystem: "Cluster", Details: null, Timestamp: rfc3339(this.server.clock.nowMs()), CreateIndex: index };
  }

  /**
   * Registers (or re-registers) nodes in one write and starts their
   * heartbeat deadlines. Returns the heartbeat TTL in milliseconds.
   */
  async register(nodes: Node[]): Promise<{ heartbeatTTLMs: number; index: number }> {
    const becameReady: Node[] = [];
    const { index, durable } = this.store.write((txn) => {
      for (const n of nodes) {
        const existing = this.store.nodeByID(n.ID);
        const node: Node = { ...n, ComputedClass: "", Events: existing?.Events ?? [this.event("Node registered", txn.index)] };
        node.ComputedClass = this.server.nodeClass(node);
        if (existing && existing.Status !== node.Status) node.StatusUpdatedAt = Math.floor(this.server.clock.nowMs() / 1000);
        if (existing?.DrainStrategy && !n.DrainStrategy) node.DrainStrategy = existing.DrainStrategy;
        if (existing?.LastDrain && !n.LastDrain) node.LastDrain = existing.LastDrain;
        if (existing && existing.SchedulingEligibility === "ineligible") node.SchedulingEligibility = "ineligible";
        txn.putNode(node);
        if (node.Status === "ready" && (!existing || existing.Status !== "ready")) becameReady.push(node);
      }
      this.createNodeEvals(txn, becameReady, "node-update");
    });
    const ttl = this.server.heartbeats.resetMany(nodes.filter((n) => n.Status !== "down").map((n) => n.ID));
    this.afterNodeEvals();
    for (const cls of new Set(becameReady.map((n) => n.ComputedClass))) this.server.blocked.unblock(cls, index);
    await durable;
    return { heartbeatTTLMs: ttl, index };
  }

  /**
   * Replaces a node's `Meta` (the client applying dynamic node metadata,
   * `/v1/client/metadata`), as its re-registration does in Nomad: the node's
   * computed class follows, and when the metadata changed a ready node gets
   * `node-update` evaluations (its jobs and the system jobs) and the
   * evaluations blocked on its class are retried, so that constraints on
   * `${meta.*}` are placed again (`shouldCreateNodeEval`). Returns the index.
   */
  async updateMeta(nodeID: string, meta: Record<string, string>): Promise<number> {
    const existing = this.store.nodeByID(nodeID);
    if (!existing) throw notFound(`Unknown node "${nodeID}"`);
    const same = JSON.stringify(sortedObject(existing.Meta ?? {})) === JSON.stringify(sortedObject(meta));
    if (same) return this.store.latestIndex();
    const node: Node = { ...existing, Meta: meta, ComputedClass: "" };
    node.ComputedClass = this.server.nodeClass(node);
    const ready = node.Status === "ready";
    const { index, durable } = this.store.write((txn) => {
      txn.putNode(node);
      if (ready) this.createNodeEvals(txn, [node], "node-update");
    });
    this.afterNodeEvals();
    if (ready) this.server.blocked.unblock(node.ComputedClass, index);
    await durable;
    return index;
  }

  /** Heartbeats of live nodes (batched). Nodes that were down come back as ready. Returns the TTL in milliseconds. */
  heartbeat(nodeIDs: readonly string[]): number {
    const known = nodeIDs.filter((id) => this.store.nodeByID(id));
    const down = known.filter((id) => this.store.nodeByID(id)?.Status !== "ready");
    if (down.length > 0) void this.updateStatus(down, "ready");
    return this.server.heartbeats.resetMany(known);
  }

  /** Changes the status of nodes (`Node.UpdateStatus`). */
  async updateStatus(nodeIDs: readonly string[], status: NodeStatus): Promise<number> {
    const changed: Node[] = [];
    const { index, durable } = this.store.write((txn) => {
      for (const id of nodeIDs) {
        const n = this.store.nodeByID(id);
        if (!n || n.Status === status) continue;
        const node: Node = {
          ...n,
          Status: status,
          StatusUpdatedAt: Math.floor(this.server.clock.nowMs() / 1000),
          Events: [
            ...n.Events,
            this.event(
              status === "down" ? "Node heartbeat missed" : status === "ready" ? "Node re-registered" : `Node status ${status}`,
              txn.index,
            ),
          ].slice(-10),
        };
        txn.putNode(node);
        changed.push(node);
      }
      this.createNodeEvals(txn, changed, "node-update");
    });
    this.afterNodeEvals();
    for (const n of changed) {
      if (status === "down") this.server.heartbeats.clear(n.ID);
      else this.server.blocked.unblock(n.ComputedClass, index);
    }
    await durable;
    return index;
  }

  /** @internal Called by the heartbeat tracker: these nodes missed their deadline. */
  heartbeatsMissed(nodeIDs: string[]): void {
    void this.updateStatus(nodeIDs, "down").catch(() => {});
  }

  /**
   * Removes a node from state (`Node.Deregister`, `PUT /v1/node/:id/purge`)
   * and creates `node-update` evaluations for the jobs that had allocations
   * on it: the schedulers mark those allocations lost and replace them.
   */
  async purge(nodeID: string): Promise<NodeUpdateResponse> {
    const n = this.store.nodeByID(nodeID);
    if (!n) throw notFound("node not found");
    let evals: Evaluation[] = [];
    const { index, durable } = this.store.write((txn) => {
      evals = this.createNodeEvals(txn, [n], "node-update");
      txn.deleteNode(nodeID);
    });
    this.server.heartbeats.clear(nodeID);
    this.afterNodeEvals();
    await durable;
    return nodeUpdateResponse(evals, index, index);
  }

  /** Creates `node-update` evaluations for the jobs on a node and the system jobs (`Node.Evaluate`, `PUT /v1/node/:id/evaluate`). */
  async evaluate(nodeID: string): Promise<NodeUpdateResponse> {
    const n = this.store.nodeByID(nodeID);
    if (!n) throw notFound("node not found");
    let evals: Evaluation[] = [];
    const { index, durable } = this.store.write((txn) => {
      evals = this.createNodeEvals(txn, [n], "node-update");
    });
    this.afterNodeEvals();
    await durable;
    return nodeUpdateResponse(evals, n.ModifyIndex, index);
  }

  /** Sets a node's scheduling eligibility (`Node.UpdateEligibility`). */
  async updateEligibility(nodeID: string, eligibility: string): Promise<NodeUpdateResponse> {
    const n = this.store.nodeByID(nodeID);
    if (!n) throw notFound("node not found");
    if (eligibility !== "eligible" && eligibility !== "ineligible") throw badRequest(`invalid scheduling eligibility "${eligibility}"`);
    if (n.DrainStrategy && eligibility === "eligible")
      throw badRequest("can not set node's scheduling eligibility to eligible while it is draining");
    let evals: Evaluation[] = [];
    const { index, durable } = this.store.write((txn) => {
      if (n.SchedulingEligibility === eligibility) return;
      const node: Node = {
        ...n,
        SchedulingEligibility: eligibility,
        Events: [...n.Events, this.event(`Node marked as ${eligibility}`, txn.index)].slice(-10),
      };
      txn.putNode(node);
      if (eligibility === "eligible") evals = this.createNodeEvals(txn, [node], "node-update");
    });
    this.afterNodeEvals();
    if (eligibility === "eligible") this.server.blocked.unblock(n.ComputedClass, index);
    await durable;
    return nodeUpdateResponse(evals, this.store.nodeByID(nodeID)?.ModifyIndex ?? index, index);
  }

  /**
   * Starts or cancels a drain (`Node.UpdateDrain`). Starting one makes the
   * node ineligible and marks its allocations for migration (system jobs'
   * too unless IgnoreSystemJobs); the drain completes once none is left.
   */
  async updateDrain(nodeID: string, req: DrainRequest): Promise<NodeUpdateResponse> {
    const n = this.store.nodeByID(nodeID);
    if (!n) throw notFound("node not found");
    const now = this.server.clock.nowMs();
    let evals: Evaluation[] = [];
    const { index, durable } = this.store.write((txn) => {
      if (req.DrainSpec) {
        const deadline = req.DrainSpec.Deadline ?? 0;
        const drain: DrainStrategy = {
          Deadline: deadline,
          IgnoreSystemJobs: Boolean(req.DrainSpec.IgnoreSystemJobs),
          ForceDeadline: deadline > 0 ? rfc3339(now + deadline / 1_000_000) : ZERO_TIME,
          StartedAt: rfc3339(now),
        };
        txn.putNode({
          ...n,
          DrainStrategy: drain,
          LastDrain: nextLastDrain(n, true, false, now, req.Meta),
          SchedulingEligibility: "ineligible",
          Events: [...n.Events, this.event("Node drain strategy set", txn.index)].slice(-10),
        });
      } else {
        const eligible = req.MarkEligible ? "eligible" : n.SchedulingEligibility;
        txn.putNode({
          ...n,
          DrainStrategy: null,
          LastDrain: nextLastDrain(n, false, false, now, req.Meta),
          SchedulingEligibility: eligible,
          Events: [...n.Events, this.event("Node drain strategy cleared", txn.index)].slice(-10),
        });
      }
    });
    // The drainer marks what may move now (the migrate block's max_parallel), the rest later.
    if (req.DrainSpec) evals = this.server.drainer.step(nodeID);
    if (!req.DrainSpec && req.MarkEligible) this.server.blocked.unblock(n.ComputedClass, index);
    this.completeDrains([nodeID]);
    await durable;
    return nodeUpdateResponse(evals, index, index);
  }

  /** Ends the drain of nodes that have no live allocations left (Nomad's drainer marks them done). */
  completeDrains(nodeIDs: Iterable<string>): void {
    const done: Node[] = [];
    for (const id of nodeIDs) {
      const n = this.store.nodeByID(id);
      if (!n?.DrainStrategy) continue;
      const remaining = this.store.allocsByNode(id).some((a) => {
        if (allocClientTerminal(a)) return false;
        const system = a.Job.Type === "system" || a.Job.Type === "sysbatch";
        return !(system && n.DrainStrategy?.IgnoreSystemJobs);
      });
      if (!remaining) done.push(n);
    }
    if (done.length === 0) return;
    this.store.write((txn) => {
      for (const n of done)
        txn.putNode({
          ...n,
          DrainStrategy: null,
          LastDrain: nextLastDrain(n, false, true, this.server.clock.nowMs()),
          Events: [...n.Events, this.event("Node drain complete", txn.index)].slice(-10),
        });
    });
  }

  /**
   * Applies the allocation updates clients report (`Node.UpdateAlloc`), in
   * one write. Allocations that finished free capacity (blocked evals of
   * their node's class wake); failed ones get an `alloc-failure` eval so the
   * scheduler can reschedule them.
   */
  async updateAllocs(updates: readonly ClientAllocUpdate[]): Promise<number> {
    const freedClasses = new Set<string>();
    const touchedNodes = new Set<string>();
    const evals: Evaluation[] = [];
    const healthChanged: Allocation[] = [];
    const { index, durable } = this.store.write((txn) => {
      const failedJobs = new Map<string, Allocation>();
      for (const u of updates) {
        const a = this.store.allocByID(u.ID);
        if (!a) continue;
        // Declared lost while its node was down: a late report of a live task from that node does not revive it.
        if (a.ClientStatus === "lost" && u.ClientStatus !== "complete" && u.ClientStatus !== "failed") continue;
        const wasTerminal = allocClientTerminal(a);
        const next: Allocation = {
          ...a,
          ClientStatus: u.ClientStatus,
          ClientDescription: u.ClientDescription ?? a.ClientDescription,
          TaskStates: u.TaskStates === undefined ? a.TaskStates : u.TaskStates,
          DeploymentStatus: u.DeploymentStatus === undefined ? a.DeploymentStatus : u.DeploymentStatus,
          ModifyTime: this.server.now(),
        };
        txn.putAlloc(next, false);
        if ((a.DeploymentStatus?.Healthy ?? null) !== (next.DeploymentStatus?.Healthy ?? null) && next.DeploymentID)
          healthChanged.push(next);
        if (!wasTerminal && allocClientTerminal(next)) {
          const node = this.store.nodeByID(a.NodeID);
          if (node) freedClasses.add(node.ComputedClass);
          touchedNodes.add(a.NodeID);
          if (next.ClientStatus === "failed" && next.DesiredStatus === "run") failedJobs.set(`${a.Namespace}\u0000${a.JobID}`, next);
        }
      }
      for (const a of failedJobs.values()) {
        const job = this.store.jobByID(a.Namespace, a.JobID);
        if (!job || job.Stop) continue;
        const e = newJobEval(job, { id: this.server.newID(), now: this.server.now(), triggeredBy: "alloc-failure" });
        txn.putEval(e);
        evals.push(e);
      }
    });
    for (const e of evals) this.server.route(e);
    for (const cls of freedClasses) this.server.blocked.unblock(cls, index);
    this.completeDrains(touchedNodes);
    if (healthChanged.length > 0) this.server.deploymentWatcher.healthChanged(healthChanged);
    await durable;
    return index;
  }

  /** Creates `trigger` evals for every job with live allocations on the nodes, plus every system and sysbatch job. */
  private createNodeEvals(txn: StateTxn, nodes: readonly Node[], trigger: Evaluation["TriggeredBy"]): Evaluation[] {
    if (nodes.length === 0) return [];
    const jobs = new Map<string, { ns: string; id: string; nodeID: string }>();
    for (const n of nodes)
      for (const a of this.store.allocsByNode(n.ID))
        if (!allocTerminal(a)) jobs.set(`${a.Namespace}\u0000${a.JobID}`, { ns: a.Namespace, id: a.JobID, nodeID: n.ID });
    for (const j of this.store.jobs("*"))
      if ((j.Type === "system" || j.Type === "sysbatch") && !j.Stop)
        jobs.set(`${j.Namespace}\u0000${j.ID}`, { ns: j.Namespace, id: j.ID, nodeID: nodes.length === 1 ? nodes[0].ID : "" });
    const out: Evaluation[] = [];
    for (const { ns, id, nodeID } of jobs.values()) {
      const job = this.store.jobByID(ns, id);
      if (!job) continue;
      const e = newJobEval(job, {
        id: this.server.newID(),
        now: this.server.now(),
        triggeredBy: trigger,
        nodeID,
        nodeModifyIndex: txn.index,
      });
      txn.putEval(e);
      out.push(e);
    }
    appendAll(this.pendingNodeEvals, out);
    return out;
  }

  private pendingNodeEvals: Evaluation[] = [];

  private afterNodeEvals(): void {
    const evals = this.pendingNodeEvals;
    this.pendingNodeEvals = [];
    for (const e of evals) this.server.route(e);
  }
}

/** An object with its keys sorted (to compare maps by content). */
function sortedObject(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
