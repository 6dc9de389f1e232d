/**
 * Allocation operations of the server (Nomad's `nomad/alloc_endpoint.go`).
 */
import { allocTerminal } from "../structs";
import { notFound } from "./errors";
import { newJobEval } from "../structs";
import type { Server } from "./server";

/** The allocation endpoint. */
export class AllocEndpoint {
  constructor(private readonly server: Server) {}

  /**
   * Stops an allocation (`Alloc.Stop`): marks it for migration and creates an
   * `alloc-stop` eval, so the scheduler stops it and places a replacement.
   */
  async stop(allocID: string, opts: { noShutdownDelay?: boolean } = {}): Promise<{ EvalID: string; Index: number }> {
    const store = this.server.store;
    const a = store.allocByID(allocID);
    if (!a) throw notFound(`alloc not found`);
    const job = store.jobByID(a.Namespace, a.JobID) ?? a.Job;
    const now = this.server.now();
    const e = newJobEval(job, { id: this.server.newID(), now, triggeredBy: "alloc-stop" });
    const { index, durable } = store.write((txn) => {
      if (!allocTerminal(a))
        txn.putAlloc({
          ...a,
          DesiredTransition: {
            ...a.DesiredTransition,
            Migrate: true,
            NoShutdownDelay: opts.noShutdownDelay ? true : a.DesiredTransition.NoShutdownDelay,
          },
          ModifyTime: now,
        });
      txn.putEval(e);
    });
    this.server.route(e);
    await durable;
    return { EvalID: e.ID, Index: index };
  }
}
