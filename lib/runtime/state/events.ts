/**
 * Which events each table's writes publish (Nomad's `nomad/state/events.go`).
 * A table is declared once here: its topic, key, filter keys, payload and
 * the event type of a change. The store turns every change of a committed
 * transaction into events through these declarations, so a new table adds
 * its events by adding its entry.
 */
import type {
  ACLPolicy,
  ACLRole,
  Allocation,
  Deployment,
  Evaluation,
  Node,
  NodePool,
  ServiceRegistration,
  StoredACLToken,
  StoredJob,
  StreamEvent,
  VariableEncrypted,
} from "../structs";
import { aclTokenView, EventType, variableMetadataJSON } from "../structs";
import type { TableName } from "./schema";
import type { TableChange } from "./table";

/** How the writes of one table become events. */
export interface TableEvents<Row> {
  /** The topic of its events. */
  topic: StreamEvent["Topic"];
  /** The event's key (a job ID, an allocation ID, …). */
  key(row: Row): string;
  /** The row's namespace ("" when the row has none, as nodes). */
  namespace(row: Row): string;
  /** Other keys a `topic=Topic:key` filter matches. */
  filterKeys?(row: Row): string[];
  /** The payload, under the kind's name. `deleted` is true for a delete. */
  payload(row: Row, deleted: boolean): Record<string, unknown>;
  /**
   * The event type of a change (Nomad names it by the write request; here it
   * is told from the change itself), or undefined when the change publishes
   * nothing (Nomad publishes no event for garbage collection of evaluations,
   * allocations and deployments).
   */
  type(before: Row | undefined, after: Row | undefined): string | undefined;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const jobEvents: TableEvents<StoredJob> = {
  topic: "Job",
  key: (j) => j.ID,
  namespace: (j) => j.Namespace,
  payload: (j, deleted) => (deleted ? { Job: j, Deleted: true } : { Job: j }),
  type: (_before, after) => (!after || after.Stop ? EventType.JobDeregistered : EventType.JobRegistered),
};

const evalEvents: TableEvents<Evaluation> = {
  topic: "Evaluation",
  key: (e) => e.ID,
  namespace: (e) => e.Namespace,
  filterKeys: (e) => [e.JobID, e.DeploymentID ?? ""],
  payload: (e) => ({ Evaluation: e }),
  type: (_before, after) => (after ? EventType.EvaluationUpdated : undefined),
};

const allocEvents: TableEvents<Allocation> = {
  topic: "Allocation",
  key: (a) => a.ID,
  namespace: (a) => a.Namespace,
  filterKeys: (a) => [a.JobID, a.DeploymentID ?? ""],
  // Nomad leaves the job out of allocation events to keep them small.
  payload: (a) => ({ Allocation: { ...a, Job: null } }),
  type: (before, after) => (!after ? undefined : before ? EventType.AllocationUpdated : EventType.PlanResult),
};

const deploymentEvents: TableEvents<Deployment> = {
  topic: "Deployment",
  key: (d) => d.ID,
  namespace: (d) => d.Namespace,
  filterKeys: (d) => [d.JobID],
  payload: (d) => ({ Deployment: d }),
  type: (before, after) => {
    if (!after) return undefined;
    if (before && before.Status === after.Status) {
      const promoted = (d: Deployment) => Object.values(d.TaskGroups ?? {}).filter((g) => g.Promoted).length;
      if (promoted(after) > promoted(before)) return EventType.DeploymentPromotion;
      return "DeploymentAllocHealth";
    }
    return EventType.DeploymentStatusUpdate;
  },
};

const nodeEvents: TableEvents<Node> = {
  topic: "Node",
  key: (n) => n.ID,
  namespace: () => "",
  // Nomad sanitizes nodes in events: the secret stays on the server.
  payload: (n) => ({ Node: { ...n, SecretID: "" } }),
  type: (before, after) => {
    if (!after) return EventType.NodeDeregistration;
    if (!before) return EventType.NodeRegistration;
    if (!same(before.DrainStrategy, after.DrainStrategy)) return EventType.NodeDrain;
    if (before.SchedulingEligibility !== after.SchedulingEligibility) return EventType.NodeEligibility;
    return EventType.NodeStreamEvent;
  },
};

const nodePoolEvents: TableEvents<NodePool> = {
  topic: "NodePool",
  key: (p) => p.Name,
  namespace: () => "",
  payload: (p) => ({ NodePool: p }),
  type: (_before, after) => (after ? EventType.NodePoolUpserted : EventType.NodePoolDeleted),
};

const aclTokenEvents: TableEvents<StoredACLToken> = {
  topic: "ACLToken",
  key: (t) => t.AccessorID,
  namespace: () => "",
  // Nomad sanitizes tokens in events (`NewACLTokenEvent`): no secret (here not even its hash leaves the server's shape).
  payload: (t) => ({ ACLToken: aclTokenView(t) }),
  type: (_before, after) => (after ? EventType.ACLTokenUpserted : EventType.ACLTokenDeleted),
};

const aclPolicyEvents: TableEvents<ACLPolicy> = {
  topic: "ACLPolicy",
  key: (p) => p.Name,
  namespace: () => "",
  payload: (p) => ({ ACLPolicy: p }),
  type: (_before, after) => (after ? EventType.ACLPolicyUpserted : EventType.ACLPolicyDeleted),
};

const aclRoleEvents: TableEvents<ACLRole> = {
  topic: "ACLRole",
  key: (r) => r.ID,
  namespace: () => "",
  filterKeys: (r) => [r.Name],
  payload: (r) => ({ ACLRole: r }),
  type: (_before, after) => (after ? EventType.ACLRoleUpserted : EventType.ACLRoleDeleted),
};

const variableEvents: TableEvents<VariableEncrypted> = {
  topic: "Variable",
  key: (v) => v.Path,
  namespace: (v) => v.Namespace,
  // Metadata only, as Nomad's VariableEvent: the items never leave the server in an event.
  payload: (v, deleted) => ({ Metadata: variableMetadataJSON(v), Deleted: deleted }),
  type: () => EventType.VariableUpdated,
};

const serviceEvents: TableEvents<ServiceRegistration> = {
  topic: "Service",
  key: (r) => r.ID,
  namespace: (r) => r.Namespace,
  filterKeys: (r) => [r.JobID, r.ServiceName],
  payload: (r) => ({ Service: r }),
  type: (_before, after) => (after ? EventType.ServiceRegistration : EventType.ServiceDeregistration),
};

/** The tables whose writes publish events, with how. Tables not listed publish nothing. */
export const TABLE_EVENTS: Partial<Record<TableName, TableEvents<any>>> = {
  jobs: jobEvents,
  evals: evalEvents,
  allocs: allocEvents,
  deployment: deploymentEvents,
  nodes: nodeEvents,
  node_pools: nodePoolEvents,
  acl_token: aclTokenEvents,
  acl_policy: aclPolicyEvents,
  acl_role: aclRoleEvents,
  variables: variableEvents,
  service_registrations: serviceEvents,
};

/**
 * The events of one committed transaction at `index`: one per changed row of
 * a table that publishes events (its last change in the transaction, in the
 * order rows were first written).
 */
export function eventsFromChanges(index: number, changes: readonly TableChange[]): StreamEvent[] {
  const byRow = new Map<string, { first: TableChange; last: TableChange }>();
  for (const c of changes) {
    if (!TABLE_EVENTS[c.table]) continue;
    const k = `${c.table}\u0000${c.id}`;
    const seen = byRow.get(k);
    if (seen) seen.last = c;
    else byRow.set(k, { first: c, last: c });
  }
  const out: StreamEvent[] = [];
  for (const { first, last } of byRow.values()) {
    const decl = TABLE_EVENTS[first.table]!;
    const before = first.before;
    const after = last.after;
    if (before === undefined && after === undefined) continue;
    const type = decl.type(before, after);
    if (!type) continue;
    const row = after ?? before;
    const keys = decl.filterKeys?.(row).filter((k) => k !== "");
    out.push({
      Topic: decl.topic,
      Type: type,
      Key: decl.key(row),
      Namespace: decl.namespace(row),
      FilterKeys: keys && keys.length > 0 ? keys : null,
      Index: index,
      Payload: decl.payload(row, after === undefined),
    });
  }
  return out;
}
