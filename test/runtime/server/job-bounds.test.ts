/**
 * Bounds on submitted jobs: a group count above the agent's maximum is refused
 * at registration, plan and scale and reported by validate; IDs, names and
 * meta keys have a length limit; a namespace follows Nomad's name rule; and
 * the scheduler's lists of a group with a very large count no longer overflow
 * the call stack.
 */
import { checkJobBounds, DEFAULT_MAX_GROUP_COUNT, MAX_NAME_LENGTH } from "../../../lib/runtime/server/job-bounds";
import { appendAll } from "../../../lib/runtime/scheduler/util";
import { api, mockJob, startTestAgent, type TestAgent } from "../../helpers/runtime";

describe("checkJobBounds", () => {
  const limits = { maxGroupCount: 100 };
  const job = (patch: (j: Record<string, any>) => void) => {
    const j = mockJob("b") as Record<string, any>;
    patch(j);
    return j;
  };

  it.each([
    [
      "a count above the maximum",
      job((j) => (j.TaskGroups[0].Count = 101)),
      "Job.TaskGroups[0].Count: 101 is above this agent's maximum group count of 100 (limits.max_group_count in the agent config)",
    ],
    [
      "a long job ID",
      job((j) => (j.ID = "x".repeat(MAX_NAME_LENGTH + 1))),
      `Job.ID: ${MAX_NAME_LENGTH + 1} characters long; the limit is ${MAX_NAME_LENGTH}`,
    ],
    ["a long parent ID", job((j) => (j.ParentID = "p".repeat(300))), "Job.ParentID: 300 characters long; the limit is 256"],
    [
      "a child ID longer than its suffix allows",
      job((j) => ((j.ParentID = "p"), (j.ID = "c".repeat(1000)))),
      "Job.ID: 1000 characters long; the limit is 320",
    ],
    [
      "a long task name",
      job((j) => (j.TaskGroups[0].Tasks[0].Name = "t".repeat(257))),
      "Job.TaskGroups[0].Tasks[0].Name: 257 characters long; the limit is 256",
    ],
    [
      "a long task meta key",
      job((j) => (j.TaskGroups[0].Tasks[0].Meta = { ["k".repeat(300)]: "v" })),
      "Job.TaskGroups[0].Tasks[0].Meta: a key is 300 characters long; the limit is 256",
    ],
    ["an empty meta key", job((j) => (j.Meta = { "": "v" })), "Job.Meta: keys must be non-empty and must not contain a null character"],
    [
      "a namespace with an underscore",
      job((j) => (j.Namespace = "team_a")),
      'Job.Namespace: invalid name "team_a". Must match regex ^[a-zA-Z0-9-]{1,128}$',
    ],
  ])("refuses %s with a 400 naming the field", (_name, j, message) => {
    expect(() => checkJobBounds(j, limits)).toThrow(message);
    try {
      checkJobBounds(j, limits);
    } catch (err) {
      expect((err as { code: number }).code).toBe(400);
    }
  });

  it("accepts what is within bounds, and leaves wrong types to validation", () => {
    expect(() =>
      checkJobBounds(
        job((j) => (j.TaskGroups[0].Count = 100)),
        limits,
      ),
    ).not.toThrow();
    expect(() =>
      checkJobBounds(
        job((j) => ((j.ID = "x".repeat(MAX_NAME_LENGTH)), (j.Namespace = "team-a"))),
        limits,
      ),
    ).not.toThrow();
    // A dispatched or periodic child: its parent's ID is what is bounded, not the suffixed ID.
    expect(() =>
      checkJobBounds(
        job((j) => ((j.ParentID = "p".repeat(256)), (j.ID = "p".repeat(256) + "/dispatch-1700000000-0a1b2c3d"))),
        limits,
      ),
    ).not.toThrow();
    expect(() =>
      checkJobBounds(
        job((j) => (j.TaskGroups[0].Count = "many")),
        limits,
      ),
    ).not.toThrow();
    expect(() => checkJobBounds("not a job", limits)).not.toThrow();
    expect(DEFAULT_MAX_GROUP_COUNT).toBe(10_000);
  });

  it("appends a million placements without overflowing the stack (push(...list) did)", () => {
    const many = new Array<number>(1_000_000).fill(7);
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
    const target: number[] = [1];
    appendAll(target, many);
    expect(target.length).toBe(1_000_001);
  });
});

describe("the agent's group count maximum", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 1, limits: { maxGroupCount: 5 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("refuses a larger count at register, plan and scale, reports it in validate, and accepts the maximum", async () => {
    const over = mockJob("big", { count: 6 });
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: over });
    expect(reg.status).toBe(400);
    expect(reg.text).toBe(
      "Job.TaskGroups[0].Count: 6 is above this agent's maximum group count of 5 (limits.max_group_count in the agent config)",
    );
    expect((await api(t.address, "PUT", "/v1/job/big/plan", { Job: over })).status).toBe(400);
    const validate = await api(t.address, "PUT", "/v1/validate/job", { Job: over });
    expect(validate.status).toBe(200);
    expect(validate.body.ValidationErrors).toEqual([reg.text]);
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("ok", { count: 5 }) })).status).toBe(200);
    const scale = await api(t.address, "PUT", "/v1/job/ok/scale", { Count: 6, Target: { Group: "web" } });
    expect(scale.status).toBe(400);
    expect(scale.text).toBe(
      "scaling action count: 6 is above this agent's maximum group count of 5 (limits.max_group_count in the agent config)",
    );
    expect(((await api(t.address, "GET", "/v1/jobs")).body as { ID: string }[]).map((j) => j.ID)).toEqual(["ok"]);
  });

  it("refuses to start with a maximum outside 1..1,000,000", async () => {
    await expect(startTestAgent({ client: false, limits: { maxGroupCount: 2_000_000 } })).rejects.toThrow(
      "limits.maxGroupCount must be an integer between 1 and 1000000, got 2000000",
    );
  });
});
