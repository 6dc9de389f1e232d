/** The `service_registrations` table: its reads and indexes, its events on the stream, and its persistence. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SqlitePersistence, StateStore } from "../../../lib/runtime/state";
import type { ServiceRegistration } from "../../../lib/runtime/structs";

function reg(id: string, service: string, alloc: string, over: Partial<ServiceRegistration> = {}): ServiceRegistration {
  return {
    ID: id,
    ServiceName: service,
    Namespace: "default",
    NodeID: "n1",
    Datacenter: "dc1",
    JobID: "web",
    AllocID: alloc,
    Tags: ["v1"],
    Address: "127.0.0.1",
    Port: 8080,
    CreateIndex: 0,
    ModifyIndex: 0,
    ...over,
  };
}

/** Collects the frames the store's event broker sends for the Service topic. */
function serviceEvents(s: StateStore): { frames: { Index: number; Events: Record<string, unknown>[] }[]; close: () => void } {
  const frames: { Index: number; Events: Record<string, unknown>[] }[] = [];
  const sub = s.events.subscribe({ topics: new Map([["Service", ["*"]]]), namespace: "*" }, (line) => frames.push(JSON.parse(line)));
  return { frames, close: () => sub.close() };
}

describe("service_registrations", () => {
  it("reads by ID, by service name in a namespace (ordered by ID), by allocation and by node; sets the indexes", () => {
    const s = new StateStore();
    s.write((t) => {
      t.putServiceRegistration(reg("b", "api", "a1"));
      t.putServiceRegistration(reg("a", "api", "a2", { NodeID: "n2" }));
      t.putServiceRegistration(reg("c", "db", "a1"));
      t.putServiceRegistration(reg("d", "api", "a3", { Namespace: "prod" }));
    });
    expect(s.serviceRegistration("a")).toMatchObject({ CreateIndex: 1, ModifyIndex: 1 });
    expect(s.serviceRegistrationsByName("default", "api").map((r) => r.ID)).toEqual(["a", "b"]);
    expect(s.serviceRegistrationsByName("*", "api").map((r) => r.ID)).toEqual(["a", "b", "d"]);
    expect(s.serviceRegistrations("default").map((r) => r.ID)).toEqual(["a", "b", "c"]);
    expect(s.serviceRegistrationsByAlloc("a1").map((r) => r.ID)).toEqual(["b", "c"]);
    expect(s.serviceRegistrationsByNode("n2").map((r) => r.ID)).toEqual(["a"]);
    s.write((t) => t.putServiceRegistration(reg("a", "api", "a2", { Port: 9090 })));
    expect(s.serviceRegistration("a")).toMatchObject({ Port: 9090, CreateIndex: 1, ModifyIndex: 2 });
    expect(s.indexOf(["service_registrations"])).toBe(2);
    const { result } = s.write((t) => [t.deleteServiceRegistration("b"), t.deleteServiceRegistration("nope")]);
    expect(result).toEqual([true, false]);
    expect(s.serviceRegistrationsByAlloc("a1").map((r) => r.ID)).toEqual(["c"]);
    expect(s.indexOf(["service_registrations"])).toBe(3);
  });

  it("publishes ServiceRegistration and ServiceDeregistration events with Nomad's payload and filter keys", () => {
    const s = new StateStore();
    const ev = serviceEvents(s);
    s.write((t) => t.putServiceRegistration(reg("r1", "api", "a1")));
    s.write((t) => t.deleteServiceRegistration("r1"));
    ev.close();
    expect(ev.frames.map((f) => f.Index)).toEqual([1, 2]);
    expect(ev.frames[0].Events).toEqual([
      {
        Topic: "Service",
        Type: "ServiceRegistration",
        Key: "r1",
        Namespace: "default",
        FilterKeys: ["web", "api"],
        Index: 1,
        Payload: { Service: { ...reg("r1", "api", "a1"), CreateIndex: 1, ModifyIndex: 1 } },
      },
    ]);
    expect(ev.frames[1].Events).toMatchObject([
      { Topic: "Service", Type: "ServiceDeregistration", Key: "r1", Payload: { Service: { ID: "r1" } } },
    ]);
  });

  // The wait outlasts the test timeout: a query the write does not wake fails the test.
  it("wakes a blocking query on the table", async () => {
    const s = new StateStore();
    s.write((t) => t.putServiceRegistration(reg("r1", "api", "a1")));
    const waiting = s.waitForChange(["service_registrations"], s.indexOf(["service_registrations"]), 600_000);
    s.write((t) => t.deleteServiceRegistration("r1"));
    await waiting;
    expect(s.indexOf(["service_registrations"])).toBe(2);
    await s.close();
  });

  it("persists to SQLite and loads back, with the table's index", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-services-"));
    try {
      const s = new StateStore(new SqlitePersistence(dir));
      s.write((t) => {
        t.putServiceRegistration(reg("r1", "api", "a1"));
        t.putServiceRegistration(reg("r2", "db", "a1"));
      });
      const last = s.write((t) => t.deleteServiceRegistration("r2"));
      await last.durable;
      await s.close();
      const r = new StateStore(new SqlitePersistence(dir));
      expect(r.serviceRegistrationsByAlloc("a1")).toEqual([{ ...reg("r1", "api", "a1"), CreateIndex: 1, ModifyIndex: 1 }]);
      expect(r.serviceRegistrationsByName("default", "db")).toEqual([]);
      expect(r.indexOf(["service_registrations"])).toBe(2);
      await r.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
