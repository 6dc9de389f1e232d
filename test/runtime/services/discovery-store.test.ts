/**
 * ServiceDiscovery over a state store, without HTTP: what it writes to the
 * `service_registrations` table when it starts on a store that already holds
 * registrations (after a restart), and what it leaves when it stops.
 */
import { mockAlloc, mockJob, mockNode } from "../../../lib/runtime/scheduler/mock";
import { ServiceDiscovery } from "../../../lib/runtime/services";
import { StateStore } from "../../../lib/runtime/state";
import type { Allocation, ServiceRegistration, StoredJob } from "../../../lib/runtime/structs";

function runningAlloc(id: string, job: StoredJob, nodeID: string): Allocation {
  return mockAlloc(job, {
    ID: id,
    NodeID: nodeID,
    ClientStatus: "running",
    AllocatedResources: {
      Tasks: {},
      Shared: { DiskMB: 10, Networks: null, Ports: [{ Label: "http", Value: 25000, To: 0, HostIP: "10.0.0.5" }] },
    },
  });
}

function stale(id: string, allocID: string): ServiceRegistration {
  return {
    ID: id,
    ServiceName: "api",
    Namespace: "default",
    NodeID: "n-old",
    Datacenter: "dc1",
    JobID: "old",
    AllocID: allocID,
    Tags: [],
    Address: "10.0.0.9",
    Port: 1,
    CreateIndex: 0,
    ModifyIndex: 0,
  };
}

describe("ServiceDiscovery on a store", () => {
  it("on start registers what runs and removes the registrations of allocations that are gone; on stop leaves the table as it is", () => {
    const store = new StateStore();
    const node = mockNode();
    const job = mockJob({ ID: "web", group: { Services: [{ Name: "api", PortLabel: "http", Provider: "nomad", Tags: ["v2"] }] } });
    store.write((t) => {
      t.putNode(node);
      t.putJob(job, true);
      t.putAlloc(runningAlloc("a-run", job, node.ID));
      t.putServiceRegistration(stale("_nomad-task-a-gone-group-web-api-http", "a-gone"));
    });
    const discovery = new ServiceDiscovery(store);
    discovery.start();
    try {
      expect(store.serviceRegistration("_nomad-task-a-gone-group-web-api-http")).toBeUndefined();
      expect(store.serviceRegistrations("*")).toEqual([
        {
          ID: "_nomad-task-a-run-group-web-api-http",
          ServiceName: "api",
          Namespace: "default",
          NodeID: node.ID,
          Datacenter: node.Datacenter,
          JobID: "web",
          AllocID: "a-run",
          Tags: ["v2"],
          Address: "10.0.0.5",
          Port: 25000,
          CreateIndex: 2,
          ModifyIndex: 2,
        },
      ]);
    } finally {
      discovery.stop();
    }
    expect(store.serviceRegistrationsByAlloc("a-run")).toHaveLength(1);
  });
});
