import { block, JsonObject } from "./json";

/** When a lifecycle task runs relative to the main tasks. */
export type LifecycleHook = "prestart" | "poststart" | "poststop";

/** The `lifecycle` block of a task: makes it an init, sidecar or cleanup task. */
export interface LifecycleProps {
  /** When the task runs: before the main tasks, after they start, or after they stop. */
  readonly hook: LifecycleHook;
  /** Keep the task running for the allocation's life (a sidecar) instead of running it to completion. @default false */
  readonly sidecar?: boolean;
}

/** Renders the lifecycle block as Nomad's `TaskLifecycle`. */
export function renderLifecycle(l: LifecycleProps | undefined): JsonObject | undefined {
  if (l === undefined) return undefined;
  return block({ Hook: l.hook, Sidecar: l.sidecar }) ?? {};
}
