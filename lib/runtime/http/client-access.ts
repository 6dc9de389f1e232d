/**
 * What the client endpoints (`/v1/client/...`) need from the client runtime
 * of the agent, as one small interface. The HTTP API hands each request the
 * client access of the region it serves (`ctx.client`): an adapter over the
 * region's client runtime, or, for a region without one, what the endpoints
 * can find on their own: allocation directories under `<data-dir>/client`,
 * and no restart or signal support.
 */
import * as path from "node:path";
import type { Allocation } from "../structs";
import type { NodeMetaResponse } from "../client/node-meta";
import type { RequestContext } from "./context";
import { CodedError, notFound } from "../server/errors";

/** A task's output kept in memory by the client (an agent without a data dir writes no log files). */
export interface InMemoryLog {
  /** The bytes kept, oldest first. */
  data: Buffer;
  /** Offset of `data[0]` in the task's whole output (earlier bytes were dropped to bound memory). */
  start: number;
}

/** The client runtime as the client endpoints see it. Every method is optional except `clientDir`. */
export interface ClientAccess {
  /**
   * The client state directory (`<data-dir>/client`, or the agent's temporary
   * one) of a node this agent runs, or undefined when the node is not one of
   * its own.
   */
  clientDir(nodeID: string): string | undefined;
  /** Output of a task kept in memory (no log file), if any. */
  memoryLog?(allocID: string, task: string, stream: "stdout" | "stderr"): InMemoryLog | undefined;
  /** Process IDs of a running task (for CPU and memory from /proc), if it has any. */
  taskPids?(allocID: string, task: string): number[];
  /** Restarts one task, every running task when `task` is empty, or with `allTasks` every task and the lifecycle again (`nomad alloc restart`). Rejects when impossible. */
  restartTask?(allocID: string, task: string, allTasks?: boolean): Promise<void>;
  /** Signals one task, or every task when `task` is empty (`nomad alloc signal`). Rejects when impossible. */
  signalTask?(allocID: string, task: string, signal: string): Promise<void>;
  /** Garbage collects one terminal allocation (its directory, its in-memory output); false when the client holds none or it is not terminal. */
  collectAllocation?(allocID: string): Promise<boolean>;
  /** Garbage collects every terminal allocation of a node this client runs; resolves to how many. */
  collectAllAllocations?(nodeID: string): Promise<number>;
  /** A node's dynamic and static metadata; undefined for a node the client does not run. */
  readNodeMeta?(nodeID: string): NodeMetaResponse | undefined;
  /** Applies dynamic metadata to a node (null unsets); undefined for a node the client does not run. */
  applyNodeMeta?(nodeID: string, meta: Record<string, string | null>): Promise<NodeMetaResponse | undefined>;
  /** IDs of the nodes this client runtime runs. */
  clientNodeIDs?(): readonly string[];
  /** Stops (false) or resumes (true) the heartbeats of nodes (simulated node death, drover only). */
  setHeartbeating?(nodeIDs: readonly string[], on: boolean): void;
  /** Makes the client look at the allocations of these nodes again. */
  resyncNodes?(nodeIDs: readonly string[]): void;
}

/**
 * The parts of drover's client runtime the adapter below uses; the optional
 * ones are picked up when the runtime has them (same names as in `ClientAccess`).
 */
export interface ClientRuntimeLike {
  /** IDs of the nodes the runtime runs. */
  readonly nodes: readonly string[];
  /** Pauses or resumes heartbeats. */
  setHeartbeating(nodeIDs: readonly string[], on: boolean): void;
  /** The client directory, when the runtime knows it. */
  readonly clientDir?: string;
  /** In-memory output: a buffer (its first byte taken as offset 0) or an `InMemoryLog`. */
  memoryLog?(allocID: string, task: string, stream: "stdout" | "stderr"): InMemoryLog | Buffer | undefined;
  taskPids?: ClientAccess["taskPids"];
  restartTask?: ClientAccess["restartTask"];
  signalTask?: ClientAccess["signalTask"];
  resyncNodes?: ClientAccess["resyncNodes"];
  collectAllocation?: ClientAccess["collectAllocation"];
  collectAllAllocations?: ClientAccess["collectAllAllocations"];
  readNodeMeta?: ClientAccess["readNodeMeta"];
  applyNodeMeta?: ClientAccess["applyNodeMeta"];
}

/**
 * A `ClientAccess` over drover's client runtime: allocation directories under
 * `clientDir` (or the runtime's own `clientDir`) for the nodes it runs, and
 * whatever optional hooks the runtime offers.
 */
export function clientAccessFromRuntime(rt: ClientRuntimeLike, clientDir?: string): ClientAccess {
  return {
    clientDir: (nodeID) => (rt.nodes.includes(nodeID) ? (clientDir ?? rt.clientDir) : undefined),
    memoryLog: rt.memoryLog
      ? (allocID, task, stream) => {
          const m = rt.memoryLog!(allocID, task, stream);
          if (m === undefined) return undefined;
          return Buffer.isBuffer(m) ? { data: m, start: 0 } : m;
        }
      : undefined,
    taskPids: rt.taskPids?.bind(rt),
    restartTask: rt.restartTask?.bind(rt),
    signalTask: rt.signalTask?.bind(rt),
    clientNodeIDs: () => rt.nodes,
    setHeartbeating: rt.setHeartbeating.bind(rt),
    resyncNodes: rt.resyncNodes?.bind(rt),
    collectAllocation: rt.collectAllocation?.bind(rt),
    collectAllAllocations: rt.collectAllAllocations?.bind(rt),
    readNodeMeta: rt.readNodeMeta?.bind(rt),
    applyNodeMeta: rt.applyNodeMeta?.bind(rt),
  };
}

/** The client access of an agent without a client runtime: allocation directories under `<data-dir>/client` for every node (none without a data dir). */
export function dataDirClientAccess(dataDir: string): ClientAccess {
  return { clientDir: () => (dataDir ? path.join(dataDir, "client") : undefined) };
}

/** Nomad's message for an allocation it does not know (`structs.ErrUnknownAllocationPrefix`). */
function unknownAllocation(id: string): CodedError {
  return notFound(`Unknown allocation "${id}"`);
}

/** The allocation of `:alloc`/`:id`, or a 404 as Nomad answers for an unknown one. */
export function requestAlloc(ctx: RequestContext, param = "alloc"): Allocation {
  const id = ctx.params[param] ?? "";
  if (id === "") throw new CodedError(400, "must provide a valid alloc id");
  const a = ctx.server.store.allocByID(id);
  if (!a) throw unknownAllocation(id);
  return a;
}

/** The client directory serving an allocation's node, or a 404 when no client of this agent runs it. */
export function allocClientDir(ctx: RequestContext, a: Allocation): string {
  const dir = ctx.client.clientDir(a.NodeID);
  if (!dir)
    throw notFound(`Unknown allocation "${a.ID}": node ${a.NodeID} is not running a Nomad client of this agent with a data directory`);
  return dir;
}
