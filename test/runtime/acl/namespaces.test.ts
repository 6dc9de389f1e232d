/**
 * Namespaces and namespace-scoped tokens over HTTP against an agent with
 * ACLs enabled: lists, `namespace=*` and blocking queries show only what the
 * token may read; registration into another or a missing namespace is
 * refused; namespace deletion rules; the bootstrap once (and again through
 * the reset file); secrets never in the agent's log nor in its state file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startTestAgent, type TestAgent } from "../../helpers/runtime";

function job(id: string, namespace: string) {
  return {
    Job: {
      ID: id,
      Name: id,
      Namespace: namespace,
      Type: "service",
      Datacenters: ["dc1"],
      TaskGroups: [{ Name: "g", Count: 1, Tasks: [{ Name: "t", Driver: "mock_driver", Config: { run_for: "1h" } }] }],
    },
  };
}

describe("namespaces under ACLs", () => {
  let t: TestAgent;
  let dir: string;
  const logs: string[] = [];
  let management = "";
  let teamA = "";

  async function call(
    method: string,
    p: string,
    secret: string,
    body?: unknown,
  ): Promise<{ status: number; text: string; json: () => any; index: number }> {
    const res = await fetch(`${t.address}${p}`, {
      method,
      headers: secret ? { Authorization: `Bearer ${secret}` } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text), index: Number(res.headers.get("X-Nomad-Index")) };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-acl-"));
    t = await startTestAgent({ dataDir: dir, aclEnabled: true, client: false, simNodes: 1, log: (m) => logs.push(m) });
    const boot = await call("POST", "/v1/acl/bootstrap", "");
    management = boot.json().SecretID;
    for (const ns of ["team-a", "team-b"])
      expect((await call("PUT", `/v1/namespace/${ns}`, management, { Name: ns, Description: ns })).status).toBe(200);
    expect(
      (await call("POST", "/v1/acl/policy/team-a", management, { Rules: JSON.stringify({ namespace: { "team-a": { policy: "write" } } }) }))
        .status,
    ).toBe(200);
    teamA = (await call("POST", "/v1/acl/token", management, { Name: "team-a", Type: "client", Policies: ["team-a"] })).json().SecretID;
    for (const ns of ["team-a", "team-b"]) expect((await call("PUT", "/v1/jobs", management, job(`web-${ns}`, ns))).status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists only the token's namespace, with namespace=* and in blocking queries", async () => {
    const all = await call("GET", "/v1/jobs?namespace=*", teamA);
    expect(all.json().map((j: { ID: string }) => j.ID)).toEqual(["web-team-a"]);
    expect(
      (await call("GET", "/v1/jobs?namespace=*", management))
        .json()
        .map((j: { ID: string }) => j.ID)
        .sort(),
    ).toEqual(["web-team-a", "web-team-b"]);
    expect((await call("GET", "/v1/jobs?namespace=team-b", teamA)).status).toBe(403);
    expect((await call("GET", "/v1/job/web-team-b?namespace=team-b", teamA)).text).toBe("Permission denied");
    const allocs = (await call("GET", "/v1/allocations?namespace=*", teamA)).json() as { Namespace: string }[];
    expect(allocs.every((a) => a.Namespace === "team-a")).toBe(true);
    expect(
      (await call("GET", "/v1/evaluations?namespace=*", teamA)).json().every((e: { Namespace: string }) => e.Namespace === "team-a"),
    ).toBe(true);
    expect((await call("GET", "/v1/namespaces", teamA)).json().map((n: { Name: string }) => n.Name)).toEqual(["team-a"]);
    // A blocking query woken by a write in team-b still shows nothing of team-b.
    const blocked = call("GET", `/v1/jobs?namespace=*&index=${all.index}&wait=5s`, teamA);
    await call("PUT", "/v1/jobs", management, job("other-team-b", "team-b"));
    const woke = await blocked;
    expect(woke.index).toBeGreaterThan(all.index);
    expect(woke.json().map((j: { ID: string }) => j.ID)).toEqual(["web-team-a"]);
  });

  it("registers with a namespace-scoped token only in its namespace, and never into a missing one", async () => {
    expect((await call("PUT", "/v1/jobs", teamA, job("api", "team-a"))).status).toBe(200);
    expect(await call("PUT", "/v1/jobs", teamA, job("api", "team-b"))).toMatchObject({ status: 403, text: "Permission denied" });
    expect(await call("PUT", "/v1/jobs", management, job("api", "nowhere"))).toMatchObject({
      status: 400,
      text: 'job "api" is in nonexistent namespace "nowhere"',
    });
  });

  it("refuses to delete the default namespace and a namespace with jobs", async () => {
    expect(await call("DELETE", "/v1/namespace/default", management)).toMatchObject({
      status: 400,
      text: "can not delete default namespace",
    });
    expect((await call("DELETE", "/v1/namespace/team-b", management)).text).toBe(
      'namespace "team-b" has non-terminal jobs in regions: [global]',
    );
    expect((await call("DELETE", "/v1/namespace/team-b", teamA)).status).toBe(403);
    expect((await call("PUT", "/v1/namespace/empty", management, { Name: "empty" })).status).toBe(200);
    expect((await call("DELETE", "/v1/namespace/empty", management)).status).toBe(200);
    expect((await call("GET", "/v1/namespace/empty", management)).status).toBe(404);
  });

  it("bootstraps once, and again only through the reset file", async () => {
    const again = await call("POST", "/v1/acl/bootstrap", "");
    expect(again.status).toBe(400);
    const m = /^ACL bootstrap already done \(reset index: (\d+)\)$/.exec(again.text);
    expect(m).not.toBeNull();
    fs.writeFileSync(path.join(dir, "server", "acl-bootstrap-reset"), m![1]);
    const secret = "6f1c6e0e-5a3c-4b0e-9d7e-2f1b9a0c4d11";
    const reset = await call("POST", "/v1/acl/bootstrap", "", { BootstrapSecret: secret });
    expect(reset.status).toBe(200);
    expect(reset.json()).toMatchObject({ SecretID: secret, Type: "management", Name: "Bootstrap Token" });
    expect((await call("GET", "/v1/acl/token/self", secret)).json()).toMatchObject({ Type: "management" });
  });

  it("applies the anonymous policy to requests without a token", async () => {
    expect((await call("GET", "/v1/jobs?namespace=team-a", "")).status).toBe(403);
    expect((await call("POST", "/v1/acl/policy/anonymous", management, { Rules: 'namespace "team-a" { policy = "read" }' })).status).toBe(
      200,
    );
    expect((await call("GET", "/v1/jobs?namespace=team-a", "")).json().map((j: { ID: string }) => j.ID)).toContain("web-team-a");
    expect((await call("GET", "/v1/jobs?namespace=team-b", "")).status).toBe(403);
    expect((await call("DELETE", "/v1/acl/policy/anonymous", management)).status).toBe(200);
    expect((await call("GET", "/v1/jobs?namespace=team-a", "")).status).toBe(403);
  });

  it("refuses policies Nomad refuses", async () => {
    const bad = await call("POST", "/v1/acl/policy/bad", management, { Rules: 'namespace "default" { capabilities = ["fly"] }' });
    expect(bad).toMatchObject({ status: 400, text: expect.stringContaining("Invalid namespace capability 'fly'") });
    expect((await call("POST", "/v1/acl/policy/bad", management, { Rules: 'namespace "default" { policy = "root" }' })).status).toBe(400);
    expect((await call("POST", "/v1/acl/policy/bad", management, { Rules: 'nodes { policy = "read" }' })).text).toMatch(
      /Invalid or duplicate policy keys/,
    );
  });

  it("keeps secrets out of the log and out of the state on disk, and keeps tokens across a restart", async () => {
    await call("GET", "/v1/jobs", "00000000-0000-4000-8000-00000000dead");
    await call("GET", "/v1/job/%E0%A4%A", teamA);
    const text = logs.join("\n");
    expect(text).not.toContain(teamA);
    expect(text).not.toContain(management);
    await t.stop();
    const files = fs
      .readdirSync(path.join(dir, "server"), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => fs.readFileSync(path.join(e.parentPath ?? e.path, e.name)).toString("latin1"));
    for (const f of files) {
      expect(f).not.toContain(teamA);
      expect(f).not.toContain(management);
    }
    t = await startTestAgent({ dataDir: dir, aclEnabled: true, client: false });
    expect(
      (await call("GET", "/v1/jobs?namespace=*", teamA))
        .json()
        .map((j: { ID: string }) => j.ID)
        .sort(),
    ).toEqual(["api", "web-team-a"]);
  });
});

describe("ACLs disabled", () => {
  it("allows every request and answers the ACL endpoints with ACL support disabled", async () => {
    const t = await startTestAgent({ client: false });
    try {
      const res = await fetch(`${t.address}/v1/acl/policies`, { headers: { "X-Nomad-Token": "whatever" } });
      expect({ status: res.status, text: await res.text() }).toEqual({ status: 400, text: "ACL support disabled" });
      expect((await fetch(`${t.address}/v1/jobs`, { headers: { "X-Nomad-Token": "whatever" } })).status).toBe(200);
    } finally {
      await t.stop();
    }
  });
});
