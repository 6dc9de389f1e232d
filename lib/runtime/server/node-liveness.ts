/**
 * Node liveness controls for simulated nodes (drover only; Nomad has no such
 * API): a node whose heartbeats stop goes down after its TTL plus grace, as
 * a real client that died would, and its allocations are marked lost and
 * replaced (`node-update` evaluations, see the node endpoint); when its
 * heartbeats resume it is ready again and its client is made to look at its
 * allocations afresh, so that the ones replaced meanwhile are stopped there.
 */
import type { Server } from "./server";

/** What liveness control needs from the client runtime that heartbeats the nodes. */
export interface HeartbeatControl {
  /** Stops (false) or resumes (true) the heartbeats of nodes. */
  setHeartbeating(nodeIDs: readonly string[], on: boolean): void;
  /** Makes the client look at the allocations of these nodes again (after they were paused). */
  resyncNodes?(nodeIDs: readonly string[]): void;
}

/**
 * Stops the heartbeats of nodes. With `immediate`, the server marks them
 * down at once instead of waiting for the heartbeat TTL to run out.
 */
export async function stopNodeHeartbeats(
  server: Server,
  control: HeartbeatControl,
  nodeIDs: readonly string[],
  immediate: boolean,
): Promise<number> {
  control.setHeartbeating(nodeIDs, false);
  if (!immediate) return server.store.latestIndex();
  for (const id of nodeIDs) server.heartbeats.clear(id);
  return server.nodes.updateStatus(nodeIDs, "down");
}

/**
 * Resumes the heartbeats of nodes: one heartbeat is sent at once (a down
 * node becomes ready and gets `node-update` evaluations), and the client
 * re-examines the nodes' allocations. Without a client hook for that, the
 * allocations the server stopped while the node was away are written again
 * unchanged, which hands them to the client as any allocation change does.
 */
export async function resumeNodeHeartbeats(server: Server, control: HeartbeatControl, nodeIDs: readonly string[]): Promise<number> {
  control.setHeartbeating(nodeIDs, true);
  server.nodes.heartbeat(nodeIDs);
  if (control.resyncNodes) {
    control.resyncNodes(nodeIDs);
    return server.store.latestIndex();
  }
  const { index, durable } = server.store.write((txn) => {
    for (const id of nodeIDs) for (const a of server.store.allocsByNode(id)) if (a.DesiredStatus !== "run") txn.putAlloc({ ...a }, false);
  });
  await durable;
  return index;
}
