/**
 * drover's scheduler, arranged as Nomad's `scheduler/` package: the
 * placement stack (feasibility and ranking iterators), the reconciler, the
 * service/batch and system/sysbatch schedulers, plan verification for the
 * plan applier, and a Harness for tests and benchmarks.
 */
export { newScheduler, BUILTIN_SCHEDULERS } from "./scheduler";
export type {
  Planner,
  Scheduler,
  SchedulerFactory,
  SchedulerOptions,
  SchedulerState,
  SchedulerStateFastPaths,
  NodeUsage,
} from "./interfaces";
export { allocsFit, nodeCapacity, type FitResult } from "./fit";
export { verifyPlan, verifyNodePlan, type NodePlanVerdict } from "./plan-verify";
export { computeNodeClass } from "../structs";
export { Harness, type HarnessOptions } from "./harness";
export { mockNode, mockJob, mockAlloc } from "./mock";
export { sequentialIDs } from "./ids";
export { tasksUpdated } from "./reconcile/tasks-updated";
export { reconcile } from "./reconcile/reconciler";
export { GenericScheduler } from "./generic-sched";
export { SystemScheduler } from "./system-sched";
export { GenericStack, SystemStack } from "./stack";
export { NetworkIndex } from "./network-index";
export { readyNodesInDCsAndPool, globMatch } from "./feasible/ready-nodes";
export { checkConstraint } from "./feasible/operators";
export { scoreFitBinPack, scoreFitSpread } from "./rank/binpack";
export { addAllocUsage, emptyUsage } from "./resources";
