/**
 * `per_alloc` host volumes at placement (Nomad's HostVolumeChecker): each
 * allocation of a group needs the volume named after its own index,
 * `<source>[<index>]`, so `db[0]`, `db[1]`, `db[2]` each land on the node
 * that has their volume, and an index no node has is a placement failure
 * "missing compatible host volumes".
 */
import type { Node } from "../../../lib/runtime/structs";
import { Harness, mockJob, mockNode } from "../../../lib/runtime/scheduler";
import { allocSuffix } from "../../../lib/runtime/structs";

function nodeWith(name: string, volumes: string[], readOnly = false): Node {
  const HostVolumes: Node["HostVolumes"] = {};
  for (const v of volumes) HostVolumes[v] = { Path: `/srv/${v}`, ReadOnly: readOnly };
  return mockNode({ Name: name, HostVolumes });
}

const volumeGroup = (count: number, perAlloc: boolean, readOnly = false) => ({
  Count: count,
  Networks: null,
  Tasks: [{ Name: "db", Driver: "exec", Resources: { CPU: 100, MemoryMB: 64 } }],
  Volumes: { data: { Name: "data", Type: "host", Source: "db", ReadOnly: readOnly, PerAlloc: perAlloc } },
});

describe("per_alloc host volumes at placement", () => {
  it("allocSuffix is the index part of an allocation name, as Nomad's AllocSuffix", () => {
    expect(allocSuffix("web.db[12]")).toBe("[12]");
    expect(allocSuffix("web.db")).toBe("");
  });

  it("places each allocation on the node that has the volume of its index", () => {
    const h = new Harness();
    const nodes = [nodeWith("n0", ["db[0]"]), nodeWith("n1", ["db[1]"]), nodeWith("n2", ["db[2]"]), nodeWith("plain", ["db"])];
    for (const n of nodes) h.upsertNode(n);
    const job = h.upsertJob(mockJob({ ID: "pg", group: volumeGroup(3, true) as never }));
    h.run(job);
    const placed = h.liveAllocs("default", "pg");
    expect(placed).toHaveLength(3);
    const byName = Object.fromEntries(placed.map((a) => [a.Name, nodes.find((n) => n.ID === a.NodeID)!.Name]));
    expect(byName).toEqual({ "pg.web[0]": "n0", "pg.web[1]": "n1", "pg.web[2]": "n2" });
    expect(h.lastEval().FailedTGAllocs ?? null).toBeNull();
  });

  it("an index no node has is not placed: missing compatible host volumes", () => {
    const h = new Harness();
    for (const n of [nodeWith("n0", ["db[0]"]), nodeWith("plain", ["db"])]) h.upsertNode(n);
    const job = h.upsertJob(mockJob({ ID: "pg", group: volumeGroup(2, true) as never }));
    h.run(job);
    expect(h.liveAllocs("default", "pg").map((a) => a.Name)).toEqual(["pg.web[0]"]);
    const m = h.lastEval().FailedTGAllocs!.web;
    expect(m.ConstraintFiltered).toEqual({ "missing compatible host volumes": 2 });
  });

  it("without per_alloc the source is looked for as written", () => {
    const h = new Harness();
    const nodes = [nodeWith("n0", ["db[0]"]), nodeWith("plain", ["db"])];
    for (const n of nodes) h.upsertNode(n);
    const job = h.upsertJob(mockJob({ ID: "pg", group: volumeGroup(2, false) as never }));
    h.run(job);
    const placed = h.liveAllocs("default", "pg");
    expect(placed).toHaveLength(2);
    expect(new Set(placed.map((a) => a.NodeID))).toEqual(new Set([nodes[1].ID]));
  });

  it("a read-only per_alloc volume takes only a read-only request", () => {
    const h = new Harness();
    h.upsertNode(nodeWith("n0", ["db[0]"], true));
    const rw = h.upsertJob(mockJob({ ID: "rw", group: volumeGroup(1, true) as never }));
    h.run(rw);
    expect(h.liveAllocs("default", "rw")).toHaveLength(0);
    const ro = h.upsertJob(mockJob({ ID: "ro", group: volumeGroup(1, true, true) as never }));
    h.run(ro);
    expect(h.liveAllocs("default", "ro")).toHaveLength(1);
  });

  it("a destructive update places each replacement by its own index again", () => {
    const h = new Harness();
    const nodes = [nodeWith("n0", ["db[0]"]), nodeWith("n1", ["db[1]"])];
    for (const n of nodes) h.upsertNode(n);
    const job = h.upsertJob(mockJob({ ID: "pg", group: volumeGroup(2, true) as never }));
    h.run(job);
    const before = h.liveAllocs("default", "pg");
    const changed = volumeGroup(2, true) as { Tasks: { Config?: unknown }[] };
    changed.Tasks[0].Config = { command: "/bin/true" };
    const v2 = h.upsertJob(mockJob({ ID: "pg", group: changed as never, JobModifyIndex: 2, Version: 1 }));
    h.run(v2);
    const after = h.liveAllocs("default", "pg");
    expect(after).toHaveLength(2);
    expect(after.every((a) => !before.some((b) => b.ID === a.ID))).toBe(true);
    const byName = Object.fromEntries(after.map((a) => [a.Name, nodes.find((n) => n.ID === a.NodeID)!.Name]));
    expect(byName).toEqual({ "pg.web[0]": "n0", "pg.web[1]": "n1" });
  });
});
