import { Writable } from "node:stream";
import { ProgressRenderer, formatProgressEvent } from "../../lib/cli/render/progress";
import type { ApplyProgressEvent } from "../../lib/plan/progress";

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(c, _e, cb) {
        chunks.push(String(c));
        cb();
      },
    }),
    text: () => chunks.join(""),
  };
}

const events: ApplyProgressEvent[] = [
  { type: "registered", jobId: "web", namespace: "default", evalId: "2deb5f06-a100", jobModifyIndex: 30, warnings: [] },
  { type: "evaluation", evalId: "2deb5f06-a100", status: "pending", statusDescription: "" },
  { type: "evaluation", evalId: "2deb5f06-a100", status: "complete", statusDescription: "" },
  {
    type: "deployment",
    deploymentId: "85ee4a9a-339f",
    status: "running",
    statusDescription: "Deployment is running",
    groups: { cache: { desired: 3, placed: 3, healthy: 1, unhealthy: 0, desiredCanaries: 1, placedCanaries: 1, promoted: false } },
  },
  {
    type: "deployment",
    deploymentId: "85ee4a9a-339f",
    status: "successful",
    statusDescription: "",
    groups: { cache: { desired: 3, placed: 3, healthy: 3, unhealthy: 0, desiredCanaries: 1, placedCanaries: 1, promoted: true } },
  },
  { type: "done", jobId: "web", outcome: "deployed" },
];

const ESC = String.fromCharCode(27);
const CLEAR = new RegExp(`${ESC}\\[\\d+A${ESC}\\[J`, "g");
const SPLIT = new RegExp(`(${ESC}\\[\\d+A${ESC}\\[J)`);
const UP = new RegExp(`${ESC}\\[(\\d+)A`);

describe("progress rendering", () => {
  it("writes one plain line per event when not on a terminal", () => {
    const out = collect();
    const r = new ProgressRenderer(out.stream, false);
    events.forEach(r.handle);
    expect(out.text()).toBe(
      [
        '==> Job "web" registered (modify index 30, evaluation 2deb5f06)',
        "    Evaluation 2deb5f06: pending",
        "    Evaluation 2deb5f06: complete",
        "    Deployment 85ee4a9a: running (cache: 1/3 healthy, 3 placed, canaries 1/1)",
        "    Deployment 85ee4a9a: successful (cache: 3/3 healthy, 3 placed, canaries 1/1 promoted)",
        '==> Job "web": deployed',
        "",
      ].join("\n"),
    );
  });

  it("redraws the status block in place on a terminal", () => {
    const out = collect();
    const r = new ProgressRenderer(out.stream, true);
    events.forEach(r.handle);
    const text = out.text();
    // Each status update after the first moves the cursor up over the block and clears it.
    expect(text.match(CLEAR)).toHaveLength(3);
    // What is left on screen: the header, the final evaluation and deployment lines, the done line.
    const screen: string[] = [];
    for (const part of text.split(SPLIT)) {
      const m = UP.exec(part);
      if (m) screen.splice(screen.length - Number(m[1]), Number(m[1]));
      else screen.push(...part.split("\n").slice(0, -1));
    }
    expect(screen).toEqual([
      '==> Job "web" registered (modify index 30, evaluation 2deb5f06)',
      "    Evaluation 2deb5f06: complete",
      "    Deployment 85ee4a9a: successful (cache: 3/3 healthy, 3 placed, canaries 1/1 promoted)",
      '==> Job "web": deployed',
    ]);
  });

  it("explains placement failures", () => {
    const line = formatProgressEvent({
      type: "placement-failures",
      evalId: "abcdef12-x",
      blockedEvalId: "",
      failedTGAllocs: {
        cache: {
          NodesEvaluated: 2,
          NodesFiltered: 2,
          NodesAvailable: { dc1: 2 },
          ClassFiltered: null,
          ConstraintFiltered: { "${attr.kernel.name} = windows": 2 },
          NodesExhausted: 0,
          ClassExhausted: null,
          DimensionExhausted: null,
          AllocationTime: 1,
          CoalescedFailures: 0,
        },
      },
    });
    expect(line).toBe(
      '    Evaluation abcdef12: failed to place all allocations\n      Task Group "cache":\n        * Constraint "${attr.kernel.name} = windows": 2 nodes excluded by filter',
    );
  });
});
