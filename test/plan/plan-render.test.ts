import { NomadClient } from "../../lib/api";
import type { Job } from "../../lib/jobspec";
import { planJob } from "../../lib/plan";
import { renderPlan } from "../../lib/cli/render/plan";
import type { FakeNomad } from "../api/fake-nomad";
import { docs, fixture } from "./fixtures";
import { desiredExample, fakeCluster } from "./scenario";
import { expectValidPlanJson } from "./plan-schema";

type Obj = Record<string, any>;

/** Plans `desired` against a fake cluster and renders the plan. */
async function planText(desired: Obj, cluster: { live?: Obj | null; plan?: Obj }) {
  const fake: FakeNomad = await fakeCluster(cluster);
  const client = new NomadClient({ address: fake.address });
  try {
    const plan = await planJob(client, desired as Job);
    // Every pinned case's machine-readable form validates against the published schema.
    expectValidPlanJson([plan]);
    return { plan, text: renderPlan(plan), fake };
  } finally {
    await client.close();
    await fake.stop();
  }
}

/**
 * The expected rendering of an update of the job "example": its one change
 * line, the scheduler annotation of the group "cache", the dry-run lines and
 * the job modify index the fixtures carry (16).
 */
function updateText(change: string, annotation: string, dryRun: string[] = ["- All tasks successfully allocated."]): string {
  return [
    '~ Job: "example"',
    `  ~ ${change}`,
    "",
    "Scheduler annotations:",
    `  Task Group "cache": ${annotation}`,
    "",
    "Scheduler dry-run:",
    ...dryRun,
    "",
    "Job Modify Index: 16",
    "",
  ].join("\n");
}

describe("planJob + renderPlan, pinned per change kind", () => {
  it("create", async () => {
    const { plan, text, fake } = await planText(desiredExample(), { live: null, plan: fixture("server/plan-create.json") });
    expect(plan.action).toBe("create");
    expect(plan.enforceIndex).toBe(0);
    expect(JSON.parse(fake.to("/v1/job/example/plan")[0].body).Diff).toBe(true);
    expect(text).toBe(
      [
        '+ Job: "example"',
        '  + Type: "service"',
        '  + Datacenters: ["dc1"]',
        '  + Task Group: "cache" (1 create)',
        '    + Task: "redis" (docker)',
        "",
        "Scheduler dry-run:",
        "- All tasks successfully allocated.",
        "",
      ].join("\n"),
    );
  });

  it("no-op", async () => {
    const { plan, text } = await planText(desiredExample(), {});
    expect(plan.action).toBe("noop");
    expect(plan.changes).toEqual([]);
    expect(plan.enforceIndex).toBe(16);
    expect(text).toBe(
      [
        '  Job: "example" (no changes)',
        "",
        "Scheduler annotations:",
        '  Task Group "cache": 1 ignore',
        "",
        "Scheduler dry-run:",
        "- All tasks successfully allocated.",
        "",
      ].join("\n"),
    );
  });

  it("in-place update", async () => {
    const d = desiredExample();
    d.TaskGroups[0].Tasks[0].KillTimeout = 10e9;
    const { plan, text } = await planText(d, { plan: fixture("server/plan-inplace.json") });
    expect(plan.action).toBe("update");
    expect(text).toBe(updateText("TaskGroups[cache].Tasks[redis].KillTimeout: 5s → 10s", "1 in-place update"));
  });

  it("destructive update (with a canary)", async () => {
    const d = desiredExample();
    d.TaskGroups[0].Tasks[0].Config.image = "redis:8";
    const { plan, text } = await planText(d, { plan: fixture("server/plan-destructive.json") });
    expect(plan.action).toBe("update");
    expect(text).toBe(
      updateText('TaskGroups[cache].Tasks[redis].Config.image: "redis:7" → "redis:8" (forces create/destroy update)', "1 canary, 1 ignore"),
    );
  });

  it("replacement (type change): no server plan, the job is purged and registered again", async () => {
    const d = desiredExample();
    d.Type = "batch";
    const { plan, text, fake } = await planText(d, {});
    expect(plan.action).toBe("replace");
    expect(plan.previous).toEqual({ id: "example", namespace: "default", region: undefined });
    expect(fake.to("/v1/job/example/plan")).toHaveLength(0);
    expect(text.split("\n").slice(0, 3)).toEqual([
      '-/+ Job: "example" (replace)',
      '  ! Type changes from "service" to "batch" (Nomad refuses: cannot update job from type "service" to "batch")',
      '  ~ Type: "service" → "batch" (forces replacement)',
    ]);
    expect(text).toContain(
      'Warnings:\n  * job "example" will be purged and registered again: its allocations will be stopped and placed anew\n',
    );
  });

  it("placement failure (the docs' plan sample)", async () => {
    const d = desiredExample();
    d.TaskGroups[0].Count = 12;
    const { plan, text } = await planText(d, { plan: docs("jobs__create-job-plan__sample-response") });
    expect(Object.keys(plan.failedTGAllocs)).toEqual(["cache"]);
    expect(text).toBe(
      updateText("TaskGroups[cache].Count: 1 → 12 (forces create)", "11 create", [
        "- WARNING: Failed to place all allocations.",
        '  Task Group "cache" (4 allocations):',
        "    * Resources exhausted on 1 nodes",
        '    * Dimension "cpu" exhausted on 1 nodes',
      ]),
    );
  });
});
