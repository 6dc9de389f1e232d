/** Nomad native service discovery over HTTP: registrations of running allocations, their checks, deletion, and deregistration when the allocation stops. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { NomadClient } from "../../../lib/api";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function serviceJob(port: number): Record<string, unknown> {
  const job = mockJob("svc") as { TaskGroups: Record<string, unknown>[] };
  const tg = job.TaskGroups[0];
  tg.Networks = [{ Mode: "host", ReservedPorts: [{ Label: "http", Value: port }] }];
  tg.Services = [
    {
      Name: "web",
      PortLabel: "http",
      Provider: "nomad",
      Tags: ["edge", "v1"],
      Checks: [{ Name: "alive", Type: "http", Path: "/health", Interval: 1_000_000_000, Timeout: 1_000_000_000 }],
    },
    { Name: "in-consul", PortLabel: "http", Provider: "consul" },
  ];
  (tg.Tasks as Record<string, unknown>[])[0].Services = [
    { Name: "web-tcp", PortLabel: "http", Provider: "nomad", Checks: [{ Type: "tcp", Interval: 1_000_000_000, Timeout: 1_000_000_000 }] },
  ];
  return job as unknown as Record<string, unknown>;
}

describe("nomad service discovery", () => {
  let t: TestAgent;
  let client: NomadClient;
  let port: number;
  let app: http.Server;
  let healthy = true;
  let allocID: string;

  beforeAll(async () => {
    t = await startTestAgent();
    client = new NomadClient({ address: t.address });
    port = await freePort();
    app = http.createServer((req, res) => {
      res.writeHead(healthy ? 200 : 503);
      res.end(healthy ? "fine" : "not today");
    });
    await new Promise<void>((r) => app.listen(port, "127.0.0.1", r));
    const reg = await api(t.address, "PUT", "/v1/jobs", { Job: serviceJob(port) });
    expect(reg.status).toBe(200);
    const alloc = await waitFor("a running allocation", async () =>
      ((await api(t.address, "GET", "/v1/job/svc/allocations")).body as { ID: string; ClientStatus: string }[]).find(
        (a) => a.ClientStatus === "running",
      ),
    );
    allocID = alloc.ID;
  });
  afterAll(async () => {
    await client.close();
    await t.stop();
    await new Promise((r) => app.close(r));
  });

  it("registers the nomad services of a running allocation with Nomad's IDs and shape", async () => {
    const regs = await waitFor("the web registration", async () => {
      const r = (await api(t.address, "GET", "/v1/service/web")).body as unknown[];
      return r.length === 1 ? r : null;
    });
    expect(regs[0]).toEqual({
      ID: `_nomad-task-${allocID}-group-web-web-http`,
      ServiceName: "web",
      Namespace: "default",
      NodeID: t.agent.localNodeID,
      Datacenter: "dc1",
      JobID: "svc",
      AllocID: allocID,
      Tags: ["edge", "v1"],
      Address: "127.0.0.1",
      Port: port,
      CreateIndex: expect.any(Number),
      ModifyIndex: expect.any(Number),
    });
    const task = (await client.services.get("web-tcp")).data;
    expect(task.map((r) => r.ID)).toEqual([`_nomad-task-${allocID}-main-web-tcp-http`]);
    const list = (await client.services.list()).data;
    expect(list).toEqual([
      {
        Namespace: "default",
        Services: [
          { ServiceName: "web", Tags: ["edge", "v1"] },
          { ServiceName: "web-tcp", Tags: [] },
        ],
      },
    ]);
    expect((await api(t.address, "GET", "/v1/service/in-consul")).body).toEqual([]);
  });

  it("lists an allocation's registrations at /v1/allocation/:id/services, in the request's namespace", async () => {
    const r = await api(t.address, "GET", `/v1/allocation/${allocID}/services`);
    expect(r.status).toBe(200);
    expect((r.body as { ID: string }[]).map((x) => x.ID)).toEqual([
      `_nomad-task-${allocID}-group-web-web-http`,
      `_nomad-task-${allocID}-main-web-tcp-http`,
    ]);
    expect(r.body[0]).toEqual((await api(t.address, "GET", "/v1/service/web")).body[0]);
    expect(Number(r.headers.get("x-nomad-index"))).toBe(Math.max(...(r.body as { ModifyIndex: number }[]).map((x) => x.ModifyIndex)));
    const unknown = await api(t.address, "GET", "/v1/allocation/00000000-0000-0000-0000-000000000000/services");
    expect([unknown.status, unknown.text]).toEqual([404, "allocation not found"]);
    const elsewhere = await api(t.address, "GET", `/v1/allocation/${allocID}/services?namespace=other`);
    expect([elsewhere.status, elsewhere.text]).toEqual([404, "allocation not found"]);
    expect((await api(t.address, "PUT", `/v1/allocation/${allocID}/services`)).status).toBe(405);

    // The typed client reads the same list.
    const client = new NomadClient({ address: t.address });
    try {
      const typed = await client.allocations.services(allocID);
      expect(typed.data.map((x) => [x.ID, x.ServiceName])).toEqual(
        (r.body as { ID: string; ServiceName: string }[]).map((x) => [x.ID, x.ServiceName]),
      );
      expect(typed.meta.index).toBe(Number(r.headers.get("x-nomad-index")));
    } finally {
      await client.close();
    }
  });

  it("runs http and tcp checks and reports them in Nomad's check result shape", async () => {
    const results = await waitFor("both checks to pass", async () => {
      const r = (await client.client.allocationChecks(allocID)).data;
      const values = Object.values(r);
      return values.length === 2 && values.every((c) => c.Status === "success") ? values : null;
    });
    const httpCheck = results.find((c) => c.Check === "alive")!;
    expect(httpCheck).toEqual({
      ID: expect.stringMatching(/^[0-9a-f]{64}$/),
      Mode: "healthiness",
      Status: "success",
      StatusCode: 200,
      Output: "nomad: http ok",
      Timestamp: expect.any(Number),
      Group: "web",
      Service: "web",
      Check: "alive",
    });
    const tcp = results.find((c) => c.Service === "web-tcp")!;
    expect(tcp).toMatchObject({ Status: "success", Output: "nomad: tcp ok", Task: "main", Check: 'service: "web-tcp" check' });

    healthy = false;
    const failing = await waitFor(
      "the http check to fail",
      async () =>
        Object.values((await client.client.allocationChecks(allocID)).data).find((c) => c.Check === "alive" && c.Status === "failure"),
      5000,
    );
    expect(failing).toMatchObject({ StatusCode: 503, Output: "not today" });
    healthy = true;
    expect((await api(t.address, "GET", "/v1/client/allocation/00000000-0000-0000-0000-000000000000/checks")).status).toBe(404);
  });

  it("deletes a registration by ID and deregisters everything when the allocation stops", async () => {
    const id = `_nomad-task-${allocID}-main-web-tcp-http`;
    expect((await api(t.address, "DELETE", `/v1/service/web-tcp/${encodeURIComponent(id)}`)).status).toBe(200);
    expect((await api(t.address, "GET", "/v1/service/web-tcp")).body).toEqual([]);
    expect((await api(t.address, "DELETE", `/v1/service/web-tcp/${encodeURIComponent(id)}`)).status).toBe(404);
    // A blocking query on the service returns once its registrations change.
    const current = await api(t.address, "GET", "/v1/service/web");
    const index = Number(current.headers.get("x-nomad-index"));
    expect(current.body).toHaveLength(1);
    const blocked = api(t.address, "GET", `/v1/service/web?index=${index}&wait=20s`);
    await waitFor("the query to block on the server", () => t.agent.server.store.blockingQueries === 1);
    await api(t.address, "DELETE", "/v1/job/svc");
    const answered = await blocked;
    expect(answered.body).toEqual([]);
    expect(Number(answered.headers.get("x-nomad-index"))).toBeGreaterThan(index);
    await waitFor("the registrations to go", async () => ((await api(t.address, "GET", "/v1/services")).body.length === 0 ? true : null));
    expect((await api(t.address, "GET", "/v1/service/web")).body).toEqual([]);
    expect((await client.client.allocationChecks(allocID)).data).toEqual({});
  });

  it("published every registration and deregistration on the event stream (topic Service, keyed by the job)", async () => {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 20_000);
    const seen: { Type: string; Key: string; Payload: Record<string, unknown> }[] = [];
    try {
      for await (const f of client.events.stream({ index: 1, topics: { Service: ["svc"] }, signal: ac.signal })) {
        seen.push(...(f.Events as typeof seen));
        if (seen.filter((e) => e.Type === "ServiceDeregistration").length >= 2) break;
      }
    } finally {
      clearTimeout(timer);
    }
    const web = `_nomad-task-${allocID}-group-web-web-http`;
    const tcp = `_nomad-task-${allocID}-main-web-tcp-http`;
    expect(seen.map((e) => `${e.Type} ${e.Key}`)).toEqual(
      expect.arrayContaining([
        `ServiceRegistration ${web}`,
        `ServiceRegistration ${tcp}`,
        `ServiceDeregistration ${tcp}`,
        `ServiceDeregistration ${web}`,
      ]),
    );
    expect(seen.find((e) => e.Key === web)?.Payload.Service).toMatchObject({ ID: web, ServiceName: "web", JobID: "svc", AllocID: allocID });
  });
});
