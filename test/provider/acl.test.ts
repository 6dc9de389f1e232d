/**
 * NomadJob through Pulumi's dynamic-provider host against the included
 * runtime with ACLs enabled: a namespace-scoped write token creates its job
 * in its namespace and is refused with a clear message in another, and the
 * token stays a Pulumi secret in the state the host returns.
 */
import { createNomadJobProvider } from "../../provider/shell";
import { startTestAgent, type TestAgent } from "../helpers/runtime";
import { HostError, serializeProvider, startProviderHost, type ProviderHost } from "./host";

type Obj = Record<string, any>;

function webJob(id: string, namespace: string): Obj {
  return {
    ID: id,
    Namespace: namespace,
    Type: "service",
    Datacenters: ["*"],
    TaskGroups: [
      {
        Name: "cache",
        Count: 1,
        Update: {
          MaxParallel: 1,
          HealthCheck: "task_states",
          MinHealthyTime: 50_000_000,
          HealthyDeadline: 30_000_000_000,
          ProgressDeadline: 60_000_000_000,
        },
        Tasks: [{ Name: "redis", Driver: "mock_driver", Config: { run_for: "10m" }, Resources: { CPU: 100, MemoryMB: 64 } }],
      },
    ],
  };
}

describe("NomadJob under ACLs, through Pulumi's dynamic-provider host", () => {
  let t: TestAgent;
  let host: ProviderHost;
  let token = "";

  async function call(method: string, p: string, secretID: string, body?: unknown): Promise<Obj> {
    const res = await fetch(`${t.address}${p}`, {
      method,
      headers: { "X-Nomad-Token": secretID },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Obj;
  }

  beforeAll(async () => {
    t = await startTestAgent({ aclEnabled: true, client: false, simNodes: 1 });
    const management = (await call("POST", "/v1/acl/bootstrap", "")).SecretID as string;
    await call("PUT", "/v1/namespace/team-a", management, { Name: "team-a" });
    await call("POST", "/v1/acl/policy/team-a", management, { Rules: 'namespace "team-a" { policy = "write" }' });
    token = (await call("POST", "/v1/acl/token", management, { Name: "pulumi", Type: "client", Policies: ["team-a"] })).SecretID;
    host = await startProviderHost(await serializeProvider(createNomadJobProvider()));
  });
  afterAll(async () => {
    await host?.close();
    await t?.stop();
  });

  it("creates in the token's namespace, keeps the token secret in state, and refuses another namespace clearly", async () => {
    const inputs = (job: Obj): Obj => ({ job, address: t.address, token, namespace: job.Namespace, waitTimeout: "20s" });
    const checked = await host.check({}, inputs(webJob("cache", "team-a")));
    expect(checked.failures).toEqual([]);
    const created = await host.create(checked.inputs);
    expect(created.id).toContain("cache");
    expect(created.properties.job).toMatchObject({ ID: "cache", Namespace: "team-a" });

    const other = await host.check({}, inputs(webJob("cache", "default")));
    expect(other.failures).toEqual([]);
    const refused = await host.create(other.inputs).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(HostError);
    expect((refused as HostError).message).toContain("Permission denied");
    expect((refused as HostError).message).not.toContain(token);
  });
});
