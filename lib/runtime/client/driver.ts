/**
 * The task driver interface of drover's client (Nomad's `drivers.DriverPlugin`,
 * reduced to what the alloc runner needs): fingerprint, start, and stop.
 */

/** What a driver reports about itself on a node. */
export interface DriverFingerprint {
  /** Node attributes it sets, e.g. `driver.mock_driver: "true"`. */
  attributes: Record<string, string>;
  /** The driver can run tasks. */
  healthy: boolean;
  /** Why (un)healthy, for people. */
  description: string;
}

/** How a task ended (`drivers.ExitResult`). */
export interface ExitResult {
  /** Process exit code (0 = success). */
  exitCode: number;
  /** Signal that ended it (0 = none). */
  signal: number;
  /** A driver error message, if any. */
  err?: string;
}

/** Callbacks the driver calls as the task moves. */
export interface TaskDriverEvents {
  /** The task is running. */
  started(): void;
  /** The task could not start; `recoverable` lets the restart policy retry. */
  startFailed(message: string, recoverable: boolean): void;
  /** The task exited on its own. */
  exited(result: ExitResult): void;
  /** Output the task wrote (stdout). */
  stdout?(text: string): void;
}

/** A running task. */
export interface TaskHandle {
  /**
   * Stops the task: the driver signals it, waits up to `killTimeoutMs`
   * (or its own kill delay), then reports through `done`.
   */
  stop(killTimeoutMs: number, done: (result: ExitResult) => void): void;
  /** Forgets the task without waiting (client shutdown). */
  destroy(): void;
}

/** The task as the driver sees it. */
export interface DriverTask {
  /** Task name. */
  name: string;
  /** The allocation's ID. */
  allocID: string;
  /** The task's driver config (`Task.Config`). */
  config: Record<string, unknown>;
  /** Environment. */
  env: Record<string, string>;
}

/** A task driver. */
export interface TaskDriver {
  /** The driver's name in job specs (`mock_driver`, `raw_exec`, `docker`). */
  readonly name: string;
  /** What the driver offers on this node. */
  fingerprint(): DriverFingerprint;
  /** Starts a task; problems are reported through `events`, never thrown. */
  start(task: DriverTask, events: TaskDriverEvents): TaskHandle;
}
