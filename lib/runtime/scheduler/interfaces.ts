/**
 * The seam between the schedulers and the server, as in Nomad's
 * `scheduler/structs/interfaces.go`: a scheduler reads a `SchedulerState`,
 * proposes a `Plan` through a `Planner`, and reports on its evaluation.
 *
 * drover runs schedulers synchronously in one process, so the state a
 * scheduler reads is the live store; the plan applier still verifies every
 * plan against the latest state (allocations may have changed between the
 * read and the submit when workers interleave), commits what fits and asks
 * for a refresh of the rest, exactly as Nomad's optimistic concurrency does.
 */
import type { Allocation, Deployment, Evaluation, Node, Plan, PlanResult, SchedulerConfiguration, StoredJob } from "../structs";
import type { NodeUsage } from "../state/node-usage";

/** Read access to cluster state. Implementations must not copy on each call: schedulers call these in hot loops. */
export interface SchedulerState {
  /** All nodes (any status), in a stable order (by ID). */
  nodes(): readonly Node[];
  nodeByID(id: string): Node | undefined;
  /** The current version of a job, or undefined when it does not exist (deregistered and purged). */
  jobByID(namespace: string, id: string): StoredJob | undefined;
  /** A specific stored version of a job. */
  jobByVersion(namespace: string, id: string, version: number): StoredJob | undefined;
  /** Every allocation of a job (terminal ones included), for the job's current incarnation. */
  allocsByJob(namespace: string, jobID: string): readonly Allocation[];
  /** Every allocation on a node (terminal ones included). */
  allocsByNode(nodeID: string): readonly Allocation[];
  allocByID(id: string): Allocation | undefined;
  /** The most recently created deployment of the job, if any. */
  latestDeploymentByJobID(namespace: string, jobID: string): Deployment | undefined;
  deploymentByID(id: string): Deployment | undefined;
  schedulerConfig(): SchedulerConfiguration;
  /** The index of the latest write. */
  latestIndex(): number;
}

/** What a scheduler may ask of the server. */
export interface Planner {
  /**
   * Submits a plan to the plan applier. The result says what was committed;
   * a non-zero `RefreshIndex` means part of the plan was rejected and the
   * scheduler should re-read state and try again.
   */
  submitPlan(plan: Plan): PlanResult;
  /** Updates the evaluation being processed (status, FailedTGAllocs, QueuedAllocations, …). */
  updateEval(evaluation: Evaluation): void;
  /** Creates a follow-up evaluation (blocked evals, delayed reschedules). */
  createEval(evaluation: Evaluation): void;
  /** Puts a blocked evaluation back in the blocked set after it failed again. */
  reblockEval(evaluation: Evaluation): void;
}

/** A scheduler for one job type. */
export interface Scheduler {
  /** Processes one evaluation to completion (including plan retries). Never throws for bad jobs: it records failure on the eval. */
  process(evaluation: Evaluation): void;
}

/** Builds the scheduler for an evaluation's `Type`. */
export type SchedulerFactory = (type: string, state: SchedulerState, planner: Planner, options: SchedulerOptions) => Scheduler;

/** Knobs for one scheduler run. */
export interface SchedulerOptions {
  /** Current time in unix nanoseconds (injected so that tests and replays are deterministic). */
  now: () => number;
  /** Generates IDs (UUIDs) for allocations, evals and deployments. */
  newID: () => string;
  /**
   * When true, score every feasible node instead of Nomad's limited set
   * (log2(n), at least 2; 100 with affinities or spreads): the naive baseline
   * the placement benchmark compares against.
   */
  scoreAllNodes?: boolean;
}

/**
 * Resources held on a node by its non-terminal allocations: what
 * `SchedulerState.nodeUsage` returns (sums kept incrementally by the store).
 */
export type { NodeUsage } from "../state/node-usage";

/**
 * Optional fast paths a store may offer the scheduler. When `nodeUsage` is
 * present the placement stack reads per-node tallies in O(1) instead of
 * summing `allocsByNode` (the difference between thousands and tens of
 * thousands of placements per second on large clusters). The tallies must
 * count exactly the allocations that are not terminal (`allocTerminal`).
 */
export interface SchedulerStateFastPaths {
  /** Resources held on the node by non-terminal allocations, or undefined to fall back to summing. */
  nodeUsage?(nodeID: string): NodeUsage | undefined;
  /**
   * `nodeUsage` given the node object (as `nodes()` returned it): lets a
   * store keep the tally next to the node instead of looking it up by ID,
   * a hash lookup per scored node saved. Must agree with `nodeUsage`.
   */
  nodeUsageOf?(node: Node): NodeUsage | undefined;
  /**
   * A number that changes whenever any node is added, changed or removed.
   * When present, schedulers reuse a job's base node set (ready nodes in its
   * datacenters and pool) from one evaluation to the next while it stays the
   * same, instead of filtering every node per evaluation.
   */
  nodesVersion?(): number;
}
