/**
 * Following an evaluation as Nomad's CLI monitor does (command/monitor.go),
 * for `drover job stop`, `drover alloc stop` and `drover eval status
 * -monitor`: `==> ` lines for what the monitor does, indented lines for what
 * it sees (the job or node that triggered the evaluation, allocations created
 * and changing status, the evaluation's status), the placement failures when
 * the evaluation ends with some, the next evaluation when there is one, and
 * the deployment the evaluation belongs to until it ends.
 */
import type { CommandIO } from "./command";
import type { AllocationListStub, Deployment, Evaluation, NomadClient } from "../api";
import { isDeploymentTerminal, isEvaluationTerminal, watch } from "../api";
import { renderDeployment } from "./render/deployment";
import { failedGroupHeading, formatAllocMetrics } from "./render/evaluation";
import { interruptible, InterruptedError } from "./render/interrupt";
import { formatTime, shortID } from "./render/status-format";

/** Options of `monitorEvaluation`. */
interface MonitorOptions {
  /** Full IDs instead of their first 8 characters. @default false */
  verbose?: boolean;
  /** The evaluation's namespace. @default the client's */
  namespace?: string;
  /**
   * The deployment statuses that end the monitor with exit 0. Nomad's
   * monitor accepts only "successful"; `drover job stop` also accepts
   * "cancelled", what stopping a job mid-rollout makes of its deployment.
   * @default ["successful"]
   */
  okDeploymentStatuses?: readonly string[];
  /** Longest wait of one blocking read, in milliseconds (Nomad's monitor polls every second). @default 1000 */
  pollMs?: number;
}

interface SeenAlloc {
  client: string;
}

interface Seen {
  job: string;
  node: string;
  deployment: string;
  status: string;
  allocs: Map<string, SeenAlloc>;
}

// As Nomad's monitor, an evaluation is taken to be pending until read, so the first read of a finished one reports the change.
const fresh = (): Seen => ({ job: "", node: "", deployment: "", status: "pending", allocs: new Map() });

/**
 * Follows evaluation `evalId` (and the evaluations and deployment it leads
 * to) until it ends, printing what happens; resolves to the exit code: 0 when
 * everything was placed (and the deployment, if any, succeeded), 1 otherwise
 * (Nomad's monitor exits 2 on placement failures; drover keeps 2 for usage
 * errors). Ctrl-C ends the wait with an `InterruptedError` saying what goes on.
 */
export async function monitorEvaluation(client: NomadClient, io: CommandIO, evalId: string, opts: MonitorOptions = {}): Promise<number> {
  const interrupt = interruptible(io);
  const id = (s: string | undefined) => shortID(s ?? "", opts.verbose ? 36 : 8);
  const info = (line: string) => io.out.write(`==> ${formatTime(Date.now())}: ${line}\n`);
  const say = (line: string) => io.out.write(`    ${line}\n`);
  const sayAt = (line: string) => say(`${formatTime(Date.now())}: ${line}`);
  const q = { namespace: opts.namespace, signal: interrupt.signal };
  let current = evalId;
  let deployment = "";
  try {
    let placementFailed = false;
    for (let hops = 0; ; hops++) {
      const seen = fresh();
      info(`Monitoring evaluation ${JSON.stringify(id(current))}`);
      let index = 0;
      let ev: Evaluation;
      for (;;) {
        const r = await client.evaluations.info(current, { ...q, index, wait: opts.pollMs ?? 1000 });
        ev = r.data;
        index = r.meta.index;
        const allocs = (await client.evaluations.allocations(ev.ID, q)).data ?? [];
        report(seen, ev, allocs);
        if (isEvaluationTerminal(ev.Status)) break;
      }
      const failed = ev.FailedTGAllocs ?? {};
      const groups = Object.keys(failed).sort();
      if (groups.length === 0) info(`Evaluation ${JSON.stringify(id(ev.ID))} finished with status ${JSON.stringify(ev.Status)}`);
      else {
        placementFailed = true;
        info(
          `Evaluation ${JSON.stringify(id(ev.ID))} finished with status ${JSON.stringify(ev.Status)} but failed to place all allocations:`,
        );
        for (const g of groups) {
          sayAt(failedGroupHeading(g, failed[g]));
          for (const line of formatAllocMetrics(failed[g]).split("\n")) say(line);
        }
        if (ev.BlockedEval) sayAt(`Evaluation ${JSON.stringify(id(ev.BlockedEval))} waiting for additional capacity to place remainder`);
      }
      deployment = seen.deployment || deployment;
      // A chain of follow-ups is short in practice; 100 bounds a misbehaving server.
      if (!ev.NextEval || hops >= 100) break;
      const waitMs = (ev.Wait ?? 0) / 1e6;
      if (waitMs > 0) {
        info(`Monitoring next evaluation ${JSON.stringify(id(ev.NextEval))} in ${Math.round(waitMs / 1000)}s`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, waitMs);
          interrupt.signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
        });
        if (interrupt.interrupted) throw interrupt.signal.reason;
      }
      current = ev.NextEval;
    }
    if (deployment) {
      info(`Monitoring deployment ${JSON.stringify(id(deployment))}`);
      let last = "";
      const r = await watch<Deployment>((w) => client.deployments.info(deployment, { ...q, ...w }), {
        until: (d) => isDeploymentTerminal(d.Status),
        onUpdate: (d) => {
          const line = `Deployment ${JSON.stringify(id(d.ID))} ${d.Status}: ${d.StatusDescription}`;
          if (line !== last) sayAt((last = line));
        },
        signal: interrupt.signal,
        timeoutMs: 24 * 3_600_000,
      });
      io.out.write(`\n${renderDeployment(r.data, opts.verbose)}`);
      return (opts.okDeploymentStatuses ?? ["successful"]).includes(r.data.Status) ? 0 : 1;
    }
    return placementFailed ? 1 : 0;
  } catch (err) {
    if (!interrupt.interrupted) throw err;
    const what = deployment ? `deployment ${deployment}` : `evaluation ${current}`;
    throw new InterruptedError(
      `interrupted: stopped monitoring; ${what} goes on in Nomad; follow it with: ${deployment ? `drover deployment status ${deployment}` : `drover eval status ${current}`}`,
    );
  } finally {
    interrupt.release();
  }

  function report(seen: Seen, ev: Evaluation, allocs: readonly AllocationListStub[]): void {
    if (!seen.node && ev.NodeID) sayAt(`Evaluation triggered by node ${JSON.stringify(id(ev.NodeID))}`);
    if (!seen.job && ev.JobID) sayAt(`Evaluation triggered by job ${JSON.stringify(ev.JobID)}`);
    if (!seen.deployment && ev.DeploymentID) sayAt(`Evaluation within deployment: ${JSON.stringify(id(ev.DeploymentID))}`);
    seen.node ||= ev.NodeID ?? "";
    seen.job ||= ev.JobID;
    seen.deployment ||= ev.DeploymentID ?? "";
    for (const a of allocs) {
      const before = seen.allocs.get(a.ID);
      if (!before) {
        // An allocation created before this evaluation was modified by it; a new one wanted running was created.
        if (a.CreateIndex < ev.CreateIndex)
          sayAt(
            `Allocation ${JSON.stringify(id(a.ID))} modified: node ${JSON.stringify(id(a.NodeID))}, group ${JSON.stringify(a.TaskGroup)}`,
          );
        else if (a.DesiredStatus === "run")
          sayAt(
            `Allocation ${JSON.stringify(id(a.ID))} created: node ${JSON.stringify(id(a.NodeID))}, group ${JSON.stringify(a.TaskGroup)}`,
          );
      } else if (before.client !== a.ClientStatus) {
        const why = a.ClientDescription ? ` (${a.ClientDescription})` : "";
        sayAt(
          `Allocation ${JSON.stringify(id(a.ID))} status changed: ${JSON.stringify(before.client)} -> ${JSON.stringify(a.ClientStatus)}${why}`,
        );
      }
      seen.allocs.set(a.ID, { client: a.ClientStatus });
    }
    if (seen.status && ev.Status !== "pending" && seen.status !== ev.Status)
      sayAt(`Evaluation status changed: ${JSON.stringify(seen.status)} -> ${JSON.stringify(ev.Status)}`);
    seen.status = ev.Status;
  }
}
