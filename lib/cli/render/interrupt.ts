/**
 * Interrupts (Ctrl-C, SIGTERM) during a command that waits on Nomad: they
 * end the wait, never the change. `interruptible` gives the command an
 * abort signal for the time it waits; `FollowUp` collects, from the
 * progress events, what was registered or deregistered and what goes on in
 * Nomad, and says how to follow it once the command was interrupted.
 */
import type { CommandIO } from "../command";
import type { ApplyProgressEvent } from "../../plan/progress";

/** The exit code of an interrupted command (128 + SIGINT), as shells report Ctrl-C. */
export const INTERRUPTED_EXIT_CODE = 130;

/** An abort signal that fires on the user's interrupt, and its release. */
interface Interruptible {
  /** Aborted on Ctrl-C (io.interrupt, or the process's SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** True once interrupted. */
  readonly interrupted: boolean;
  /** Stops listening to the process's signals. */
  release(): void;
}

/** Listens for the user's interrupt: `io.interrupt` when given, else the process's SIGINT and SIGTERM, until `release()`. */
export function interruptible(io: CommandIO): Interruptible {
  const ctl = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => ctl.abort(new Error(`interrupted (${sig})`));
  let release = () => {};
  if (io.interrupt) {
    const forward = () => ctl.abort(io.interrupt?.reason);
    if (io.interrupt.aborted) forward();
    else io.interrupt.addEventListener("abort", forward, { once: true });
    release = () => io.interrupt?.removeEventListener("abort", forward);
  } else {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    release = () => {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    };
  }
  return {
    signal: ctl.signal,
    get interrupted() {
      return ctl.signal.aborted;
    },
    release,
  };
}

interface Followed {
  jobId: string;
  /** "registered" (apply, a job command) or "stopped"/"purged" (destroy). */
  change: "registered" | "stopped" | "purged";
  jobModifyIndex?: number;
  evalId?: string;
  deploymentId?: string;
  done: boolean;
}

/** Collects what a command changed from its progress events, to report it when interrupted. */
export class FollowUp {
  private readonly jobs = new Map<string, Followed>();

  /** Receives a progress event (chain it with the renderer's handler). */
  handle = (e: ApplyProgressEvent): void => {
    switch (e.type) {
      case "registered":
        this.jobs.set(e.jobId, {
          jobId: e.jobId,
          change: "registered",
          jobModifyIndex: e.jobModifyIndex,
          evalId: e.evalId || undefined,
          done: false,
        });
        break;
      case "deregistered":
        this.jobs.set(e.jobId, { jobId: e.jobId, change: e.purge ? "purged" : "stopped", evalId: e.evalId || undefined, done: false });
        break;
      case "deployment": {
        const last = [...this.jobs.values()].pop();
        if (last && !last.done) last.deploymentId = e.deploymentId;
        break;
      }
      case "done": {
        const j = this.jobs.get(e.jobId);
        if (j) j.done = true;
        for (const other of this.jobs.values()) if (other.jobId.startsWith(`${e.jobId}/`)) other.done = true;
        break;
      }
    }
  };

  /** The jobs changed so far, in order. */
  changed(): string[] {
    return [...this.jobs.keys()];
  }

  /** What to print after an interrupt: what was changed, what goes on, and the commands to follow it. */
  report(command: string): string {
    const lines = [`\ndrover ${command}: interrupted: stopped waiting; nothing that was sent to Nomad is undone.`];
    const jobs = [...this.jobs.values()];
    if (!jobs.length) lines.push("  Nothing was changed yet.");
    for (const j of jobs) {
      const what = j.change === "registered" ? `registered${j.jobModifyIndex ? ` (modify index ${j.jobModifyIndex})` : ""}` : j.change;
      lines.push(`  Job "${j.jobId}" is ${what}${j.done ? "; its rollout was followed to the end" : ""}.`);
      if (j.done) continue;
      const going = [j.evalId ? `evaluation ${j.evalId}` : "", j.deploymentId ? `deployment ${j.deploymentId}` : ""].filter(Boolean);
      if (going.length) lines.push(`    ${going.join(" and ")} go${going.length === 1 ? "es" : ""} on in Nomad.`);
      if (j.deploymentId) lines.push(`    Follow it with: drover deployment status ${j.deploymentId}`);
      else lines.push(`    Follow it with: drover status ${j.jobId}`);
    }
    return lines.join("\n") + "\n";
  }
}
