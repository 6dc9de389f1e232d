/**
 * The event stream's NodePool, ACLToken, ACLPolicy, ACLRole and Variable
 * topics, with ACLs enabled: management tokens only for node pools and ACL
 * objects, secrets and variable items never sent, variable events only for
 * paths the token may list.
 */
import { NomadClient, NomadApiError, type Events } from "../../../lib/api";
import { api, startTestAgent, type TestAgent } from "../../helpers/runtime";

type Obj = Record<string, any>;

describe("event topics of node pools, ACL objects and variables", () => {
  let t: TestAgent;
  let management: string;

  async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
    const res = await fetch(`${t.address}${path}`, {
      method,
      headers: { "X-Nomad-Token": token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text
    }
    return { status: res.status, body: parsed, text };
  }

  /** Replays the buffered events from `index` with `token`, until `done` (bounded by an abort after 10 s). */
  async function replay(
    token: string,
    opts: { index: number; topics: Record<string, string[]>; namespace?: string },
    done: (e: Obj[]) => boolean,
  ) {
    const nomad = new NomadClient({ address: t.address, token });
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 10_000);
    const seen: Obj[] = [];
    try {
      for await (const f of nomad.events.stream({ ...opts, signal: ac.signal, maxReconnects: 0 }) as AsyncGenerator<Events>) {
        seen.push(...f.Events);
        if (done(seen)) break;
      }
    } finally {
      clearTimeout(timer);
      await nomad.close();
    }
    return seen;
  }

  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 0, aclEnabled: true });
    management = (await api(t.address, "POST", "/v1/acl/bootstrap")).body.SecretID;
  });
  afterAll(() => t?.stop());

  it("streams node pool and ACL writes to a management token, with secrets redacted", async () => {
    const from = t.agent.server.store.latestIndex() + 1;
    expect((await call("PUT", "/v1/node/pools", management, { Name: "gpu", Description: "GPUs" })).status).toBe(200);
    expect((await call("DELETE", "/v1/node/pool/gpu", management)).status).toBe(200);
    expect(
      (await call("POST", "/v1/acl/policy/readers", management, { Name: "readers", Rules: 'namespace "default" { policy = "read" }' }))
        .status,
    ).toBe(200);
    const role = await call("POST", "/v1/acl/role", management, { Name: "ops", Policies: [{ Name: "readers" }] });
    expect(role.status).toBe(200);
    const token = await call("POST", "/v1/acl/token", management, { Name: "reader", Type: "client", Policies: ["readers"] });
    expect(token.status).toBe(200);

    const seen = await replay(
      management,
      { index: from, topics: { NodePool: ["*"], ACLPolicy: ["*"], ACLRole: ["ops"], ACLToken: ["*"] } },
      (e) => e.some((x) => x.Topic === "ACLToken"),
    );
    expect(seen.map((e) => `${e.Topic} ${e.Type} ${e.Key}`)).toEqual([
      "NodePool NodePoolUpserted gpu",
      "NodePool NodePoolDeleted gpu",
      "ACLPolicy ACLPolicyUpserted readers",
      `ACLRole ACLRoleUpserted ${role.body.ID}`,
      `ACLToken ACLTokenUpserted ${token.body.AccessorID}`,
    ]);
    expect(seen[0].Payload.NodePool).toMatchObject({ Name: "gpu", Description: "GPUs" });
    const tok = seen[4].Payload.ACLToken;
    expect(tok).toMatchObject({ AccessorID: token.body.AccessorID, Name: "reader", SecretID: "" });
    expect(JSON.stringify(seen[4])).not.toContain(token.body.SecretID);
    expect(tok).not.toHaveProperty("SecretHash");
  });

  it("refuses those topics to a token that is not a management token", async () => {
    const token = await call("POST", "/v1/acl/token", management, { Name: "r2", Type: "client", Policies: ["readers"] });
    const nomad = new NomadClient({ address: t.address, token: token.body.SecretID });
    try {
      for (const topic of ["NodePool", "ACLToken", "ACLPolicy", "ACLRole"]) {
        const err = await (async () => {
          for await (const _ of nomad.events.stream({ topics: { [topic]: ["*"] }, maxReconnects: 0 })) return undefined;
        })().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(NomadApiError);
        expect(err).toMatchObject({ status: 403, body: "Permission denied" });
      }
    } finally {
      await nomad.close();
    }
  });

  it("streams variable metadata without items, only for the paths the token may list", async () => {
    const rules = 'namespace "default" { variables { path "app/*" { capabilities = ["list", "read"] } } }';
    expect((await call("POST", "/v1/acl/policy/apps", management, { Name: "apps", Rules: rules })).status).toBe(200);
    const apps = (await call("POST", "/v1/acl/token", management, { Name: "apps", Type: "client", Policies: ["apps"] })).body.SecretID;
    const from = t.agent.server.store.latestIndex() + 1;
    expect((await call("PUT", "/v1/var/secret/db", management, { Items: { password: "hunter2" } })).status).toBe(200);
    expect((await call("PUT", "/v1/var/app/web", management, { Items: { password: "s3cret" } })).status).toBe(200);
    expect((await call("DELETE", "/v1/var/app/web", management)).status).toBe(204);

    const all = await replay(management, { index: from, topics: { Variable: ["*"] } }, (e) => e.length === 3);
    expect(all.map((e) => `${e.Type} ${e.Key} ${e.Payload.Deleted}`)).toEqual([
      "VariableUpdated secret/db false",
      "VariableUpdated app/web false",
      "VariableUpdated app/web true",
    ]);
    expect(all[1].Payload.Metadata).toMatchObject({ Namespace: "default", Path: "app/web" });
    expect(JSON.stringify(all)).not.toMatch(/hunter2|s3cret|Items/);

    const mine = await replay(apps, { index: from, topics: { Variable: ["*"] } }, (e) => e.length === 2);
    expect(mine.map((e) => e.Key)).toEqual(["app/web", "app/web"]);
  });
});
