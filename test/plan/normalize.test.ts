import type { Job } from "../../lib/jobspec";
import { diffJobs, isImpliedConstraint, normalizeDesired, normalizeLive } from "../../lib/plan";
import { docs, fixture } from "./fixtures";

type Obj = Record<string, any>;

function noDiff(desired: unknown, readBack: unknown) {
  const d = normalizeDesired(desired as Job);
  const l = normalizeLive(readBack, { desired: desired as Job });
  return diffJobs(d as unknown as Obj, l as unknown as Obj);
}

describe("normalization of Nomad read-back samples to no diff", () => {
  it("GET /v1/job/:id sample (jobs__read-job__sample-response) equals the job that was submitted", () => {
    expect(noDiff(fixture("desired/read-job-example.json"), docs("jobs__read-job__sample-response"))).toEqual([]);
  });

  it.each([
    [0, "desired/versions-example-v1.json"],
    [1, "desired/versions-example-v0.json"],
  ])("Versions[%i] of the versions sample equals its submitted job", (i, file) => {
    const versions = docs<{ Versions: Obj[] }>("jobs__list-job-versions__sample-response").Versions;
    expect(noDiff(fixture(file), versions[i])).toEqual([]);
  });

  it("still sees the real difference between the two versions (Env.foo added in version 1)", () => {
    const versions = docs<{ Versions: Obj[] }>("jobs__list-job-versions__sample-response").Versions;
    const changes = noDiff(fixture("desired/versions-example-v1.json"), versions[1]);
    expect(changes.map((c) => `${c.kind} ${c.path}`)).toEqual(["add TaskGroups[cache].Tasks[redis].Env.foo"]);
  });

  it("is idempotent: normalizing a normalized job changes nothing", () => {
    const live = normalizeLive(docs("jobs__read-job__sample-response"));
    expect(normalizeLive(live)).toEqual(live);
    const desired = normalizeDesired(fixture("desired/read-job-example.json"));
    expect(normalizeDesired(desired)).toEqual(desired);
  });
});

describe("normalizeLive undoes what the server adds", () => {
  function readBack(): Obj {
    return structuredClone(docs<{ Versions: Obj[] }>("jobs__list-job-versions__sample-response").Versions[1]);
  }
  const desired = () => fixture<Obj>("desired/versions-example-v0.json");

  it("drops server-only fields (Status, Version, indexes, SubmitTime, Stable, NomadTokenID, empty ParentID, Dispatched false)", () => {
    const live = normalizeLive(readBack()) as unknown as Obj;
    for (const k of [
      "Status",
      "StatusDescription",
      "Version",
      "Stable",
      "SubmitTime",
      "CreateIndex",
      "ModifyIndex",
      "JobModifyIndex",
      "NomadTokenID",
      "ParentID",
      "Dispatched",
    ])
      expect(live).not.toHaveProperty(k);
  });

  it.each([
    ["${attr.vault.version}", ">= 0.6.1", "semver"],
    ["${attr.consul.version}", ">= 1.8.0", "semver"],
    ["${attr.nomad.service_discovery}", "true", "="],
    ["${attr.nomad.version}", ">= 1.4.0", "semver"],
    ["${attr.os.signals}", "SIGHUP,SIGUSR1", "set_contains"],
    ["${attr.plugins.cni.version.bridge}", ">= 0.4.0", "semver"],
  ])("drops the implied constraint %s %s", (LTarget, RTarget, Operand) => {
    const rb = readBack();
    rb.TaskGroups[0].Constraints = [{ LTarget, RTarget, Operand }];
    expect(isImpliedConstraint({ LTarget, RTarget, Operand })).toBe(true);
    expect(noDiff(desired(), rb)).toEqual([]);
  });

  it("keeps a user's own constraint, and an implied-looking one the program also declares", () => {
    const rb = readBack();
    const own = { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" };
    const signals = { LTarget: "${attr.os.signals}", RTarget: "SIGINT", Operand: "set_contains" };
    rb.TaskGroups[0].Constraints = [own, signals];
    expect(isImpliedConstraint(own)).toBe(false);
    const d = desired();
    expect(noDiff(d, rb).map((c) => c.path)).toEqual(["TaskGroups[cache].Constraints"]);
    d.TaskGroups[0].Constraints = [own, signals];
    expect(noDiff(d, rb)).toEqual([]);
  });

  it("drops the default workload identity and implicit Consul/Vault identities, keeping declared ones", () => {
    const rb = readBack();
    const task = rb.TaskGroups[0].Tasks[0];
    task.Identity = {
      Name: "default",
      Audience: ["nomadproject.io"],
      ChangeMode: "",
      ChangeSignal: "",
      Env: false,
      File: false,
      ServiceName: "",
      TTL: 0,
    };
    task.Identities = [{ Name: "vault_default", Audience: ["vault.io"] }];
    expect(noDiff(desired(), rb)).toEqual([]);
    const d = desired();
    d.TaskGroups[0].Tasks[0].Identities = [{ Name: "vault_default", Audience: ["vault.io"] }];
    expect(noDiff(d, rb)).toEqual([]);
  });

  it("drops injected connect-proxy tasks and their ports", () => {
    const rb = readBack();
    rb.TaskGroups[0].Tasks.push({ Name: "connect-proxy-redis", Kind: "connect-proxy:redis", Driver: "docker", Config: { image: "envoy" } });
    rb.TaskGroups[0].Networks[0].DynamicPorts.push({ Label: "connect-proxy-redis", Value: 0, To: -1, HostNetwork: "default" });
    expect(noDiff(desired(), rb)).toEqual([]);
  });

  it("drops the server's Scaling ID, Target and indexes", () => {
    const rb = readBack();
    rb.TaskGroups[0].Scaling = {
      ID: "5e4e-uuid",
      Namespace: "default",
      Target: { Namespace: "default", Job: "example", Group: "cache" },
      Min: 1,
      Max: 5,
      Enabled: true,
      Type: "horizontal",
      Policy: null,
      CreateIndex: 10,
      ModifyIndex: 10,
    };
    const d = desired();
    d.TaskGroups[0].Scaling = { Min: 1, Max: 5 };
    expect(noDiff(d, rb)).toEqual([]);
  });

  it("drops fields the agent never stores (DiskMB, Device, deprecated disconnect fields)", () => {
    const d = desired();
    d.TaskGroups[0].Tasks[0].Resources.DiskMB = 500;
    d.TaskGroups[0].MaxClientDisconnect = 60e9;
    d.TaskGroups[0].Networks[0].Device = "eth0";
    expect(noDiff(d, readBack())).toEqual([]);
  });

  it("rejects something that is not a job", () => {
    expect(() => normalizeLive(null)).toThrow(/expected a job object/);
  });
});
