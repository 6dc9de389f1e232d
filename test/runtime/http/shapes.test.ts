/**
 * drover's responses carry every key of Nomad's documented sample
 * responses (top-level keys; for lists, the keys of the first element).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

const FIXTURES = path.join(__dirname, "fixtures");

function keysOf(v: unknown): string[] {
  const x = Array.isArray(v) ? v[0] : v;
  return x && typeof x === "object" ? Object.keys(x as object).sort() : [];
}

describe("response shapes match Nomad's samples", () => {
  let t: TestAgent;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestAgent();
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("shape", { count: 1 }) });
    ids.eval = reg.body.EvalID;
    const allocs = await waitFor("a running allocation", async () => {
      const l = (await api(t.address, "GET", "/v1/job/shape/allocations")).body;
      return l.length === 1 && l[0].ClientStatus === "running" ? l : null;
    });
    ids.alloc = allocs[0].ID;
    ids.node = allocs[0].NodeID;
    ids.deployment = (await waitFor("a deployment", async () => (await api(t.address, "GET", "/v1/job/shape/deployment")).body)).ID;
  });
  afterAll(async () => {
    await t.stop();
  });

  const cases: [string, string, string, unknown?][] = [
    ["jobs__list-jobs__sample-response.json", "GET", "/v1/jobs"],
    ["jobs__read-job__sample-response.json", "GET", "/v1/job/shape"],
    ["jobs__create-job__sample-response.json", "PUT", "/v1/jobs", { Job: mockJob("shape2") }],
    ["jobs__create-job-plan__sample-response.json", "PUT", "/v1/job/shape/plan", { Job: mockJob("shape", { count: 2 }), Diff: true }],
    ["jobs__read-job-summary__sample-response.json", "GET", "/v1/job/shape/summary"],
    ["jobs__list-job-versions__sample-response.json", "GET", "/v1/job/shape/versions"],
    ["jobs__list-job-allocations__sample-response.json", "GET", "/v1/job/shape/allocations"],
    ["jobs__list-job-evaluations__sample-response.json", "GET", "/v1/job/shape/evaluations"],
    ["jobs__list-job-deployments__sample-response.json", "GET", "/v1/job/shape/deployments"],
    ["jobs__read-job-scale-status__sample-response.json", "GET", "/v1/job/shape/scale"],
    ["jobs__create-job-evaluation__sample-response.json", "PUT", "/v1/job/shape/evaluate", {}],
    ["allocations__list-allocations__sample-response.json", "GET", "/v1/allocations"],
    ["allocations__read-allocation__sample-response.json", "GET", "/v1/allocation/:alloc"],
    ["evaluations__list-evaluations__sample-response.json", "GET", "/v1/evaluations"],
    ["evaluations__read-evaluation__sample-response.json", "GET", "/v1/evaluation/:eval?related=true"],
    ["evaluations__list-allocations-for-evaluation__sample-response.json", "GET", "/v1/evaluation/:eval/allocations"],
    ["deployments__list-deployments__sample-response.json", "GET", "/v1/deployments"],
    ["deployments__read-deployment__sample-response.json", "GET", "/v1/deployment/:deployment"],
    ["nodes__list-nodes__sample-response.json", "GET", "/v1/nodes?os=true"],
    ["nodes__list-node-allocations__sample-response.json", "GET", "/v1/node/:node/allocations"],
    ["nodes__toggle-node-eligibility__sample-response.json", "PUT", "/v1/node/:node/eligibility", { Eligibility: "eligible" }],
    ["agent__health__sample-response.json", "GET", "/v1/agent/health"],
    ["agent__list-members__sample-response.json", "GET", "/v1/agent/members"],
    ["agent__query-self__sample-response.json", "GET", "/v1/agent/self"],
    ["validate__validate-job__sample-response.json", "PUT", "/v1/validate/job", { Job: mockJob("v") }],
    ["status__read-leader__sample-response.json", "GET", "/v1/status/leader"],
    ["status__list-peers__sample-response.json", "GET", "/v1/status/peers"],
    ["regions__list-regions__sample-response.json", "GET", "/v1/regions"],
    ["jobs__scale-task-group__sample-response.json", "POST", "/v1/job/shape/scale", { Count: 1, Target: { Group: "web" } }],
    ["allocations__stop-allocation__sample-response.json", "POST", "/v1/allocation/:alloc/stop"],
    ["nodes__drain-node__sample-response.json", "POST", "/v1/node/:node/drain", { DrainSpec: { Deadline: 0 } }],
    ["jobs__stop-a-job__sample-response.json", "DELETE", "/v1/job/shape2"],
  ];

  // A loop rather than it.each: rows without a body would make jest treat the fourth parameter as a done callback.
  for (const [fixture, method, rawPath, body] of cases)
    it(fixture, async () => {
      const sample = JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture), "utf8"));
      const p = rawPath.replace(/:(\w+)/g, (_m, k: string) => ids[k]);
      const res = await api(t.address, method, p, body);
      expect(res.status).toBe(200);
      expect(typeof res.body).toBe(typeof sample);
      expect(Array.isArray(res.body)).toBe(Array.isArray(sample));
      const missing = keysOf(sample).filter((k) => !keysOf(res.body).includes(k));
      expect(missing).toEqual([]);
    });
});
