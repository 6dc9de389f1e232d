/**
 * Task events as Nomad's client records them (`structs.TaskEvent` types and
 * the display messages the CLI shows).
 */
import type { TaskEvent } from "../structs";

/** Nomad's task event types used by drover's client. */
export const TaskEventTypes = {
  received: "Received",
  setup: "Task Setup",
  started: "Started",
  terminated: "Terminated",
  killing: "Killing",
  killed: "Killed",
  restarting: "Restarting",
  notRestarting: "Not Restarting",
  driverFailure: "Driver Failure",
  setupFailure: "Setup Failure",
  siblingFailed: "Sibling Task Failed",
  leaderDead: "Leader Task Dead",
  mainDead: "Main Tasks Dead",
  driverMessage: "Driver",
  restoreFailed: "Failed Restoring Task",
  downloadingArtifacts: "Downloading Artifacts",
  artifactFailed: "Failed Artifact Download",
  hookMessage: "Task hook message",
  hookFailed: "Task hook failed",
  restartSignal: "Restart Signaled",
  signaling: "Signaling",
  template: "Template",
} as const;

/** Builds a task event with Nomad's empty defaults. `time` is unix nanoseconds. */
export function taskEvent(type: string, time: number, display: string, extra: Partial<TaskEvent> = {}): TaskEvent {
  return {
    Type: type,
    Time: time,
    DisplayMessage: display,
    Details: {},
    Message: "",
    FailsTask: false,
    ExitCode: 0,
    Signal: 0,
    KillTimeout: 0,
    KillError: "",
    KillReason: "",
    RestartReason: "",
    DriverError: "",
    DriverMessage: "",
    SetupError: "",
    StartDelay: 0,
    ValidationError: "",
    DownloadError: "",
    ...extra,
  };
}

/** Formats milliseconds as Go prints a duration ("15s", "1m30s", "250ms"). */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = Number.isInteger(s) ? String(s) : s.toFixed(3).replace(/0+$/, "");
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${sec}s`;
}
