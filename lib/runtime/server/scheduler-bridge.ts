/**
 * The server's link to lib/runtime/scheduler (written in parallel): the
 * scheduler factory and the plan verifier are looked up at run time, and the
 * server's own stand-ins are used until the scheduler module exports them.
 */
import * as path from "node:path";
import type { Plan } from "../structs";
import type { SchedulerFactory, SchedulerState } from "../scheduler/interfaces";
import { fallbackSchedulerFactory } from "./fallback-scheduler";
import { evaluateNodePlan, type NodePlanVerdict } from "./node-fit";

/** Checks one node of a plan against the latest state. */
export type NodePlanVerifier = (state: SchedulerState, plan: Plan, nodeID: string) => NodePlanVerdict;

/** The scheduler module's verdict (it spells the flag `fit`). */
interface SchedulerVerdict {
  fit?: boolean;
  fits?: boolean;
  reason?: string;
}

interface SchedulerModule {
  newScheduler?: SchedulerFactory;
  verifyNodePlan?: (state: SchedulerState, plan: Plan, nodeID: string) => boolean | SchedulerVerdict;
  evaluateNodePlan?: (state: SchedulerState, plan: Plan, nodeID: string) => boolean | SchedulerVerdict;
}

function load(): SchedulerModule {
  try {
    return require(path.join(__dirname, "..", "scheduler")) as SchedulerModule;
  } catch {
    return {};
  }
}

/** The scheduler factory: lib/runtime/scheduler's `newScheduler`, else the server's fallback. */
export function resolveSchedulerFactory(): { factory: SchedulerFactory; builtin: boolean } {
  const m = load();
  if (typeof m.newScheduler === "function") return { factory: m.newScheduler, builtin: false };
  return { factory: fallbackSchedulerFactory, builtin: true };
}

/** The per-node plan verifier: the scheduler's, else the server's own CPU/memory/disk check. */
export function resolveNodePlanVerifier(): NodePlanVerifier {
  const m = load();
  const fn = m.verifyNodePlan ?? m.evaluateNodePlan;
  if (typeof fn !== "function") return evaluateNodePlan;
  return (state, plan, nodeID) => {
    const r = fn(state, plan, nodeID);
    if (typeof r === "boolean") return { fits: r, reason: r ? "" : "rejected by the scheduler's verifier" };
    return { fits: Boolean(r.fit ?? r.fits), reason: r.reason ?? "" };
  };
}
