/** `/v1/jobs/parse` with HCL over HTTP against the included runtime, as Nomad's agent answers it. */
import * as fs from "node:fs";
import * as path from "node:path";
import { NomadClient } from "../../lib/api";
import { api, startTestAgent, type TestAgent } from "../helpers/runtime";
import { FIXTURES } from "./helpers";

let t: TestAgent;
beforeAll(async () => {
  t = await startTestAgent();
});
afterAll(async () => {
  await t.stop();
});

const EXAMPLE = fs.readFileSync(path.join(FIXTURES, "command-asset/example.nomad.hcl"), "utf8");

describe("POST /v1/jobs/parse with JobHCL", () => {
  it("parses command/asset/example.nomad.hcl into the api.Job shape", async () => {
    const r = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: EXAMPLE });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ID: "example", Name: "example", Type: "service", Datacenters: ["*"] });
    expect(r.body.Priority).toBeUndefined();
    expect(r.body.TaskGroups[0]).toMatchObject({ Name: "cache", Count: 1, Networks: [{ DynamicPorts: [{ Label: "db", To: 6379 }] }] });
    expect(r.body.TaskGroups[0].Tasks[0]).toMatchObject({
      Name: "redis",
      Driver: "docker",
      Config: { image: "redis:7", ports: ["db"] },
      Resources: { CPU: 500, MemoryMB: 256 },
    });
  });

  it("canonicalizes on request (Nomad's defaults filled in)", async () => {
    const r = await api(t.address, "PUT", "/v1/jobs/parse", { JobHCL: EXAMPLE, Canonicalize: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ID: "example", Priority: 50, Namespace: "default", Region: "global" });
    expect(r.body.TaskGroups[0].Tasks[0].KillTimeout).toBe(5_000_000_000);
  });

  it("takes variable values from Variables, and lib/api's jobs.parse works against it", async () => {
    const src = 'variable "dc" {\n  type = string\n}\njob "v" {\n  datacenters = [var.dc]\n}\n';
    const r = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: src, Variables: 'dc = "dc7"\n' });
    expect(r.status).toBe(200);
    expect(r.body.Datacenters).toEqual(["dc7"]);
    const client = new NomadClient({ address: t.address });
    try {
      const res = await client.jobs.parse(src, { variables: 'dc = "dc9"' });
      expect(res.data.Datacenters).toEqual(["dc9"]);
    } finally {
      await client.close();
    }
  });

  it("answers bad HCL with 400 and a message that says where", async () => {
    const r = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: 'job "x" {\n  group "g" {\n    count = "many"\n  }\n}\n' });
    expect(r.status).toBe(400);
    expect(r.text).toBe(
      'Failed to parse job: input.hcl:3:13: Unsuitable value type; Unsuitable value: number required, but found string "many".',
    );
    const unset = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: 'variable "dc" {}\njob "v" {}\n' });
    expect(unset.status).toBe(400);
    expect(unset.text).toContain('input.hcl:1:1: Unset variable "dc"');
    const empty = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: "" });
    expect(empty.status).toBe(400);
    expect(empty.text).toBe("Job spec is empty");
  });

  it("reads HCL's JSON syntax too, and still takes API JSON", async () => {
    const hclJson = JSON.stringify({
      variable: { dc: { default: "dc3" } },
      job: { j: { datacenters: ["${var.dc}"], group: { g: { count: 2 } } } },
    });
    const r = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: hclJson });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ID: "j", Datacenters: ["dc3"], TaskGroups: [{ Name: "g", Count: 2 }] });
    const apiJson = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: JSON.stringify({ ID: "a", TaskGroups: [] }) });
    expect(apiJson.status).toBe(200);
    expect(apiJson.body).toEqual({ ID: "a", TaskGroups: [] });
  });

  it("refuses file functions, as the agent does", async () => {
    const r = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: 'job "f" {\n  region = file("/etc/hostname")\n}\n' });
    expect(r.status).toBe(400);
    expect(r.text).toContain("filesystem function disabled");
  });

  it("a parsed HCL job registers and places", async () => {
    const src =
      'job "hcl-run" {\n  datacenters = ["*"]\n  group "g" {\n    task "t" {\n      driver = "mock_driver"\n      config {\n        run_for = "1h"\n      }\n      resources {\n        cpu    = 10\n        memory = 16\n      }\n    }\n  }\n}\n';
    const parsed = await api(t.address, "POST", "/v1/jobs/parse", { JobHCL: src, Canonicalize: true });
    expect(parsed.status).toBe(200);
    const reg = await api(t.address, "POST", "/v1/jobs", { Job: parsed.body });
    expect(reg.status).toBe(200);
    expect(reg.body.EvalID).toBeTruthy();
    const read = await api(t.address, "GET", "/v1/job/hcl-run");
    expect(read.body.TaskGroups[0].Tasks[0].Config).toEqual({ run_for: "1h" });
  });
});
