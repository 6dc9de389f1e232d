/**
 * The Pulumi provider's handlers through canaries, against the included
 * runtime: an update stops at healthy canaries (`awaitingPromotion` output),
 * and with `promote: true` promotes them and waits for the rollout.
 */
import { check, create, update } from "../../provider/handlers";
import { startTestAgent, type TestAgent } from "../helpers/runtime";
import { canaryJob } from "../cli/job-helpers";

type Obj = Record<string, any>;

describe("provider handlers through canaries (against the included runtime)", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2 });
  });
  afterAll(async () => {
    await t.stop();
  });

  const inputs = (job: Obj, extra: Obj = {}) => {
    const checked = check({}, { job, address: t.address, waitTimeout: "30s", ...extra });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };

  it("stops at healthy canaries unless promote is set, and says so in awaitingPromotion", async () => {
    const first = inputs(canaryJob("pv", { canary: 1, count: 2 }));
    const created = await create(first);
    expect(created.outs).toMatchObject({ deploymentStatus: "successful", awaitingPromotion: false });

    const second = inputs(canaryJob("pv", { canary: 1, count: 2, runFor: "2h" }));
    const waiting = await update(created.id, created.outs as unknown as Obj, second);
    expect(waiting.outs).toMatchObject({ version: 1, deploymentStatus: "running", awaitingPromotion: true, allocations: { running: 3 } });

    const third = inputs(canaryJob("pv", { canary: 1, count: 2, runFor: "3h" }), { promote: true });
    const promoted = await update(created.id, waiting.outs as unknown as Obj, third);
    expect(promoted.outs).toMatchObject({
      version: 2,
      deploymentStatus: "successful",
      awaitingPromotion: false,
      allocations: { running: 2 },
    });
  });

  it("rejects a promote input that is not a boolean", () => {
    const checked = check({}, { job: canaryJob("pv2"), promote: "yes" });
    expect(checked.failures).toEqual([{ property: "promote", reason: 'must be a boolean (got "yes")' }]);
  });
});
