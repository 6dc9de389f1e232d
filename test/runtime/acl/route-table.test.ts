/**
 * The ACL table: every route the agent serves × {anonymous, read token,
 * write token, management token, expired token, bogus token}, over HTTP
 * against a real agent with ACLs enabled. The route → requirement table
 * below is the one place the expected requirement of each route is written
 * down (Nomad's "ACL Required" of its API docs); a route added without an
 * entry here fails the first test.
 */
import { randomUUID } from "node:crypto";
import { FakeClock } from "../../helpers/fake-clock";
import { startTestAgent, type TestAgent } from "../../helpers/runtime";
import { describeRouteACL } from "../../../lib/runtime/http/route-acl";

/** "METHOD pattern" → requirement, as Nomad's API docs list it. */
const EXPECTED: Record<string, string> = Object.fromEntries([
  ["GET /v1/regions", "none"],
  ["PUT /v1/deployment/unblock/:id", "namespace:submit-job"],
  ["PUT /v1/job/:id+/periodic/force", "namespace:dispatch-job|submit-job"],
  ["GET /v1/job/:id+/periodic/force", "none"],
  ["PUT /v1/job/:id+/dispatch", "namespace:dispatch-job"],
  ["GET /v1/job/:id+/dispatch", "none"],
  ["DELETE /v1/job/:id+", "namespace:submit-job"],
  ["GET /v1/jobs", "namespace:list-jobs"],
  ["PUT /v1/jobs", "namespace:submit-job"],
  ["PUT /v1/jobs/parse", "namespace:parse-job|submit-job"],
  ["PUT /v1/validate/job", "namespace:read-job"],
  ["GET /v1/job/:id/versions", "namespace:read-job"],
  ["GET /v1/job/:id/allocations", "namespace:read-job"],
  ["GET /v1/job/:id/evaluations", "namespace:read-job"],
  ["GET /v1/job/:id/deployments", "namespace:read-job"],
  ["GET /v1/job/:id/deployment", "namespace:read-job"],
  ["GET /v1/job/:id/summary", "namespace:read-job"],
  ["GET /v1/job/:id/scale", "namespace:read-job-scaling|read-job"],
  ["PUT /v1/job/:id/scale", "namespace:scale-job|submit-job"],
  ["PUT /v1/job/:id/evaluate", "namespace:submit-job"],
  ["PUT /v1/job/:id/revert", "namespace:submit-job"],
  ["PUT /v1/job/:id/stable", "namespace:submit-job"],
  ["PUT /v1/job/:id/plan", "namespace:submit-job"],
  ["GET /v1/job/:id+", "namespace:read-job"],
  ["PUT /v1/job/:id+", "namespace:submit-job"],
  ["GET /v1/allocations", "namespace:read-job"],
  ["PUT /v1/allocation/:id/stop", "namespace:alloc-lifecycle"],
  ["GET /v1/allocation/:id", "namespace:read-job"],
  ["GET /v1/evaluations", "namespace:read-job"],
  ["GET /v1/evaluation/:id/allocations", "namespace:read-job"],
  ["GET /v1/evaluation/:id", "namespace:read-job"],
  ["GET /v1/deployments", "namespace:read-job"],
  ["GET /v1/deployment/allocations/:id", "namespace:read-job"],
  ["PUT /v1/deployment/promote/:id", "namespace:submit-job"],
  ["PUT /v1/deployment/fail/:id", "namespace:submit-job"],
  ["PUT /v1/deployment/pause/:id", "namespace:submit-job"],
  ["PUT /v1/deployment/allocation-health/:id", "namespace:submit-job"],
  ["GET /v1/deployment/:id", "namespace:read-job"],
  ["GET /v1/node/pools", "token"],
  ["PUT /v1/node/pools", "token"],
  ["GET /v1/node/pool/:name/nodes", "token"],
  ["GET /v1/node/pool/:name/jobs", "token"],
  ["GET /v1/node/pool/:name", "token"],
  ["PUT /v1/node/pool/:name", "token"],
  ["DELETE /v1/node/pool/:name", "token"],
  ["GET /v1/agent/servers", "agent:read"],
  ["GET /v1/nodes", "node:read"],
  ["GET /v1/node/:id/allocations", "node:read"],
  ["PUT /v1/node/:id/eligibility", "node:write"],
  ["PUT /v1/node/:id/drain", "node:write"],
  ["GET /v1/node/:id", "node:read"],
  ["GET /v1/status/leader", "none"],
  ["GET /v1/status/peers", "none"],
  ["GET /v1/agent/health", "none"],
  ["GET /v1/agent/members", "node:read"],
  ["GET /v1/agent/self", "agent:read"],
  ["GET /v1/operator/scheduler/configuration", "operator:read"],
  ["GET /v1/operator/raft/configuration", "operator:read"],
  ["GET /v1/operator/autopilot/health", "operator:read"],
  ["GET /v1/operator/snapshot", "operator:write"],
  ["PUT /v1/agent/join", "none"],
  ["PUT /v1/agent/force-leave", "agent:write"],
  ["GET /v1/agent/host", "agent:read"],
  ["GET /v1/agent/monitor", "agent:read"],
  ["PUT /v1/operator/snapshot", "management"],
  ["GET /v1/scaling/policies", "namespace:list-scaling-policies|read-job"],
  ["GET /v1/scaling/policy/:id", "namespace:read-scaling-policy|read-job"],
  ["GET /v1/event/stream", "token"],
  ["PUT /v1/search/fuzzy", "token"],
  ["PUT /v1/search", "token"],
  ["GET /v1/metrics", "none"],
  ["GET /v1/vars", "token"],
  ["GET /v1/var/", "token"],
  ["GET /v1/var/:path+", "token"],
  ["PUT /v1/var/:path+", "token"],
  ["PUT /v1/operator/scheduler/configuration", "operator:write"],
  ["PUT /v1/system/gc", "management"],
  ["PUT /v1/system/reconcile/summaries", "management"],
  ["PUT /v1/node/:id/purge", "node:write"],
  ["PUT /v1/node/:id/evaluate", "node:write"],
  ["PUT /v1/acl/bootstrap", "none"],
  ["GET /v1/acl/policies", "token"],
  ["GET /v1/acl/policy/:name", "token"],
  ["PUT /v1/acl/policy/:name", "management"],
  ["DELETE /v1/acl/policy/:name", "management"],
  ["GET /v1/acl/tokens", "management"],
  ["PUT /v1/acl/token", "management"],
  ["GET /v1/acl/token/self", "token"],
  ["GET /v1/acl/token/:accessor", "token"],
  ["PUT /v1/acl/token/:accessor", "management"],
  ["DELETE /v1/acl/token/:accessor", "management"],
  ["GET /v1/acl/roles", "token"],
  ["PUT /v1/acl/role", "management"],
  ["GET /v1/acl/role/name/:name", "token"],
  ["GET /v1/acl/role/:id", "token"],
  ["PUT /v1/acl/role/:id", "management"],
  ["DELETE /v1/acl/role/:id", "management"],
  ["GET /v1/namespaces", "token"],
  ["GET /v1/namespace/:name", "token"],
  ["PUT /v1/namespace", "management"],
  ["PUT /v1/namespace/:name", "management"],
  ["DELETE /v1/namespace/:name", "management"],
  ["GET /v1/client/fs/ls/:alloc", "namespace:read-fs"],
  ["GET /v1/client/fs/stat/:alloc", "namespace:read-fs"],
  ["GET /v1/client/fs/cat/:alloc", "namespace:read-fs"],
  ["GET /v1/client/fs/readat/:alloc", "namespace:read-fs"],
  ["GET /v1/client/fs/logs/:alloc", "namespace:read-logs"],
  ["GET /v1/client/fs/stream/:alloc", "namespace:read-fs"],
  ["GET /v1/client/allocation/:alloc/stats", "namespace:read-job"],
  ["GET /v1/client/allocation/:alloc/checks", "namespace:read-job"],
  ["PUT /v1/client/allocation/:alloc/restart", "namespace:alloc-lifecycle"],
  ["PUT /v1/client/allocation/:alloc/signal", "namespace:alloc-lifecycle"],
  ["GET /v1/client/stats", "node:read"],
  ["GET /v1/client/allocation/:alloc/gc", "namespace:submit-job"],
  ["GET /v1/client/gc", "node:write"],
  ["GET /v1/client/metadata", "node:read"],
  ["POST /v1/client/metadata", "node:write"],
  ["GET /v1/services", "namespace:read-job"],
  ["GET /v1/service/:name", "namespace:read-job"],
  ["DELETE /v1/service/:name/:id", "namespace:submit-job"],
  ["GET /v1/allocation/:id/services", "namespace:read-job"],
  ["PUT /v1/drover/sim-node/:id/down", "node:write"],
  ["PUT /v1/drover/sim-node/:id/up", "node:write"],
]);

/** Capabilities of Nomad's `read` and `write` namespace policies (acl/policy.go). */
const READ_CAPS = [
  "list-jobs",
  "parse-job",
  "read-job",
  "csi-list-volume",
  "csi-read-volume",
  "read-job-scaling",
  "list-scaling-policies",
  "read-scaling-policy",
  "host-volume-read",
];
const WRITE_CAPS = [
  ...READ_CAPS,
  "scale-job",
  "submit-job",
  "dispatch-job",
  "read-logs",
  "read-fs",
  "alloc-exec",
  "alloc-lifecycle",
  "csi-mount-volume",
  "csi-write-volume",
  "submit-recommendation",
  "host-volume-create",
];

type Who = "anonymous" | "read" | "write" | "management" | "expired" | "bogus";
const WHO: Who[] = ["anonymous", "read", "write", "management", "expired", "bogus"];

/** What a token should get from a route with `requirement`: "allowed", or the 403 body. */
function expected(requirement: string, who: Who): string {
  if (requirement === "none") return "allowed";
  if (who === "expired") return "ACL token expired";
  if (who === "bogus") return "ACL token not found";
  if (who === "management") return "allowed";
  if (requirement === "token") return "token-route"; // the handler decides what the token sees; tested apart
  if (who === "anonymous" || requirement === "management") return "Permission denied";
  const [area, what] = requirement.split(":");
  if (area === "namespace") {
    const caps = who === "read" ? READ_CAPS : WRITE_CAPS;
    return what.split("|").some((c) => caps.includes(c)) ? "allowed" : "Permission denied";
  }
  return what === "read" || who === "write" ? "allowed" : "Permission denied";
}

/** A concrete path for a pattern. */
function concrete(pattern: string): string {
  return pattern
    .replace(":id+", "example")
    .replace(":accessor", "00000000-0000-4000-8000-000000000001")
    .replace(":alloc", "00000000-0000-4000-8000-000000000002")
    .replace(":name/:id", "web/_nomad-task-x")
    .replace(":name", "default")
    .replace(":id", "00000000-0000-4000-8000-000000000003");
}

describe("ACL table: every route × every kind of token", () => {
  let t: TestAgent;
  const clock = new FakeClock();
  const secrets = {} as Record<Who, string>;

  async function call(method: string, path: string, secret: string, body?: unknown): Promise<{ status: number; text: string }> {
    const res = await fetch(`${t.address}${path}`, {
      method,
      headers: secret ? { "X-Nomad-Token": secret } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // The event stream and the monitor do not end: an accepted subscription is judged by its status, then closed.
    if ((path.startsWith("/v1/event/stream") || path.startsWith("/v1/agent/monitor")) && res.status === 200) {
      await res.body?.cancel();
      return { status: res.status, text: "" };
    }
    return { status: res.status, text: await res.text() };
  }

  beforeAll(async () => {
    t = await startTestAgent({ clock, client: false, aclEnabled: true, heartbeat: { minTTLMs: 2 * 86_400_000, graceMs: 86_400_000 } });
    const boot = await call("POST", "/v1/acl/bootstrap", "");
    expect(boot.status).toBe(200);
    secrets.management = JSON.parse(boot.text).SecretID;
    secrets.anonymous = "";
    secrets.bogus = randomUUID();
    const m = secrets.management;
    for (const level of ["read", "write"] as const) {
      const rules = `namespace "default" { policy = "${level}" }\nnode { policy = "${level}" }\nagent { policy = "${level}" }\noperator { policy = "${level}" }`;
      expect((await call("POST", `/v1/acl/policy/${level}-policy`, m, { Name: `${level}-policy`, Rules: rules })).status).toBe(200);
      const tok = await call("POST", "/v1/acl/token", m, { Name: level, Type: "client", Policies: [`${level}-policy`] });
      expect(tok.status).toBe(200);
      secrets[level] = JSON.parse(tok.text).SecretID;
    }
    const exp = await call("POST", "/v1/acl/token", m, {
      Name: "short",
      Type: "client",
      Policies: ["write-policy"],
      ExpirationTTL: "2m0s",
    });
    expect(exp).toMatchObject({ status: 200, text: expect.stringContaining("AccessorID") });
    secrets.expired = JSON.parse(exp.text).SecretID;
    expect((await call("GET", "/v1/jobs", secrets.expired)).status).toBe(200);
    clock.advance(121_000);
  });
  afterAll(() => t?.stop());

  it("declares the documented requirement for every route, and no route is missing from the table", () => {
    const actual: Record<string, string> = {};
    for (const r of t.agent.http.routes()) {
      const key = `${r.methods[0]} ${r.pattern}`;
      if (!(key in actual)) actual[key] = describeRouteACL(r.acl);
    }
    expect(actual).toEqual(EXPECTED);
  });

  const cases: [string, Who][] = [];
  for (const key of Object.keys(EXPECTED)) for (const who of WHO) cases.push([key, who]);

  it.each(cases)("%s with the %s token", async (key, who) => {
    const [method, pattern] = key.split(" ");
    // The anonymous token has no "self" to read: Nomad answers that lookup as an unknown token.
    const want = key === "GET /v1/acl/token/self" && who === "anonymous" ? "ACL token not found" : expected(EXPECTED[key], who);
    const res = await call(method, concrete(pattern), secrets[who], method === "GET" || method === "DELETE" ? undefined : {});
    if (want === "allowed") expect({ status: res.status, text: res.text }).not.toMatchObject({ status: 403 });
    else if (want === "token-route") expect(res.text).not.toMatch(/ACL token (not found|expired)/);
    else expect({ status: res.status, text: res.text }).toEqual({ status: 403, text: want });
  });
});
