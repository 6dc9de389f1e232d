/**
 * Renders apply/destroy progress. On a terminal, the live status (evaluation,
 * deployment, allocations) is one block redrawn in place; elsewhere (CI logs,
 * pipes) every change is a plain line.
 */
import type { ApplyProgressEvent, GroupRollout } from "../../plan/progress";
import { formatPlacementFailures } from "../../plan/errors";

function short(id: string): string {
  return id.slice(0, 8);
}

/** `cache: 2/3 healthy, 3 placed, 1 unhealthy, canaries 1/1`. */
function formatRollout(name: string, g: GroupRollout): string {
  const parts = [`${g.healthy}/${g.desired} healthy`, `${g.placed} placed`];
  if (g.unhealthy) parts.push(`${g.unhealthy} unhealthy`);
  if (g.desiredCanaries) parts.push(`canaries ${g.placedCanaries}/${g.desiredCanaries}${g.promoted ? " promoted" : ""}`);
  return `${name}: ${parts.join(", ")}`;
}

/** One event as a plain line ("" for events that only update the live block). */
export function formatProgressEvent(e: ApplyProgressEvent): string {
  switch (e.type) {
    case "deregistered":
      return `==> Job "${e.jobId}" ${e.purge ? "purged" : "stopped"}${e.parentId ? ` with its parent "${e.parentId}"` : ""}${e.evalId ? ` (evaluation ${short(e.evalId)})` : ""}`;
    case "stopping":
      return e.running
        ? `    Job "${e.jobId}": ${e.running} of ${e.total} allocation${e.total > 1 ? "s" : ""} still running`
        : `    Job "${e.jobId}": all ${e.total} allocation${e.total > 1 ? "s" : ""} stopped`;
    case "registered":
      return (
        `==> Job "${e.jobId}" registered (modify index ${e.jobModifyIndex}${e.evalId ? `, evaluation ${short(e.evalId)}` : ""})` +
        e.warnings.map((w) => `\n    Warning: ${w}`).join("")
      );
    case "evaluation":
      return `    Evaluation ${short(e.evalId)}: ${e.status}${e.statusDescription ? ` (${e.statusDescription})` : ""}`;
    case "placement-failures":
      return `    Evaluation ${short(e.evalId)}: failed to place all allocations\n${formatPlacementFailures(e.failedTGAllocs, "      ")}`;
    case "deployment": {
      const groups = Object.entries(e.groups).map(([n, g]) => formatRollout(n, g));
      return `    Deployment ${short(e.deploymentId)}${e.region ? ` in ${e.region}` : ""}: ${e.status}${groups.length ? ` (${groups.join("; ")})` : ""}`;
    }
    case "allocations": {
      const c = e.counts;
      const parts = [`${c.running} running`, `${c.pending} pending`];
      if (c.complete) parts.push(`${c.complete} complete`);
      if (c.failed) parts.push(`${c.failed} failed`);
      if (c.lost) parts.push(`${c.lost} lost`);
      return `    Allocations${c.desired ? ` (${c.desired} wanted)` : ""}: ${parts.join(", ")}`;
    }
    case "canaries":
      return `==> Deployment ${short(e.deploymentId)}: ${e.message}`;
    case "done":
      return `==> Job "${e.jobId}": ${e.outcome}`;
  }
}

/** Receives progress events and writes them to a stream. */
export class ProgressRenderer {
  private live: string[] = [];
  private drawn = 0;

  /**
   * @param out where to write
   * @param redraw true on a terminal: status lines are redrawn in place
   */
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly redraw: boolean,
  ) {}

  /** Handles one event. */
  handle = (e: ApplyProgressEvent): void => {
    const line = formatProgressEvent(e);
    if (!this.redraw) {
      this.out.write(line + "\n");
      return;
    }
    const isStatus = e.type === "evaluation" || e.type === "deployment" || e.type === "allocations" || e.type === "stopping";
    if (isStatus) {
      const key = e.type === "deployment" && e.region ? `deployment/${e.region}` : e.type === "stopping" ? `stopping/${e.jobId}` : e.type;
      const idx = this.live.findIndex((l) => l.startsWith(`\u0000${key}`));
      const tagged = `\u0000${key}\u0000${line}`;
      if (idx >= 0) this.live[idx] = tagged;
      else this.live.push(tagged);
      this.draw();
    } else {
      // The status block stays on screen as it was last drawn; new lines go below it.
      this.live = [];
      this.drawn = 0;
      this.out.write(line + "\n");
    }
  };

  private clear(): void {
    if (this.drawn) this.out.write(`\x1b[${this.drawn}A\x1b[J`);
  }

  private draw(): void {
    this.clear();
    const text = this.live.map((l) => l.slice(l.indexOf("\u0000", 1) + 1));
    this.out.write(text.join("\n") + "\n");
    this.drawn = text.reduce((n, l) => n + l.split("\n").length, 0);
  }
}
