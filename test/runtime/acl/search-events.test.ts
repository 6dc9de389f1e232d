/**
 * A namespace-scoped token sees nothing of another namespace through search
 * (prefix and fuzzy) and the event stream, as Nomad filters both by the
 * token's capabilities.
 */
import { mockJob, startTestAgent, type TestAgent } from "../../helpers/runtime";

describe("ACLs filter search and the event stream by namespace", () => {
  let t: TestAgent;
  let management = "";
  let scoped = "";

  async function call(method: string, path: string, secret: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${t.address}${path}`, {
      method,
      headers: { "X-Nomad-Token": secret },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : text };
  }

  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 1, aclEnabled: true });
    management = (await call("POST", "/v1/acl/bootstrap", "")).json.SecretID;
    for (const ns of ["team-a", "team-b"]) expect((await call("PUT", `/v1/namespace/${ns}`, management, { Name: ns })).status).toBe(200);
    expect(
      (await call("POST", "/v1/acl/policy/a-read", management, { Name: "a-read", Rules: 'namespace "team-a" { policy = "read" }' })).status,
    ).toBe(200);
    scoped = (await call("POST", "/v1/acl/token", management, { Name: "a", Type: "client", Policies: ["a-read"] })).json.SecretID;
    // b first: its events come before a's in the stream, so reading up to a's shows whether b's leaked.
    for (const [id, ns] of [
      ["shared-b", "team-b"],
      ["shared-a", "team-a"],
    ]) {
      expect((await call("PUT", `/v1/jobs?namespace=${ns}`, management, { Job: { ...mockJob(id), Namespace: ns } })).status).toBe(200);
    }
  });
  afterAll(() => t?.stop());

  it("prefix search shows the token's namespace only", async () => {
    const mine = await call("POST", "/v1/search", scoped, { Prefix: "shared", Context: "jobs", Namespace: "*" });
    expect(mine.status).toBe(200);
    expect(mine.json.Matches.jobs).toEqual(["shared-a"]);
    const all = await call("POST", "/v1/search", management, { Prefix: "shared", Context: "jobs", Namespace: "*" });
    expect(all.json.Matches.jobs).toEqual(["shared-a", "shared-b"]);
  });

  it("fuzzy search shows the token's namespace only, and no nodes without node:read", async () => {
    const r = await call("POST", "/v1/search/fuzzy", scoped, { Text: "shared", Context: "all", Namespace: "*" });
    expect(r.status).toBe(200);
    const jobs = (r.json.Matches.jobs ?? []).map((m: { ID: string }) => m.ID);
    expect(jobs).toEqual(["shared-a"]);
    expect(r.json.Matches.nodes ?? []).toEqual([]);
  });

  it("the event stream sends the token no event of another namespace", async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${t.address}/v1/event/stream?topic=Job&namespace=*&index=1`, {
      headers: { "X-Nomad-Token": scoped },
      signal: ctrl.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const seen: string[] = [];
    let text = "";
    // Both registrations are in the replayed buffer, b's and a's: read until a's job event arrives (bounded).
    for (let i = 0; i < 50 && !seen.includes("team-a/shared-a"); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString("utf8");
      const lines = text.split("\n");
      text = lines.pop() ?? "";
      for (const line of lines.filter((l) => l.startsWith('{"Index"')))
        for (const e of JSON.parse(line).Events) seen.push(`${e.Namespace}/${e.Key}`);
    }
    ctrl.abort();
    expect(seen).toContain("team-a/shared-a");
    expect(seen.filter((s) => s.startsWith("team-b/"))).toEqual([]);
  });
});
