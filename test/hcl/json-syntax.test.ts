/** Job files in HCL's JSON syntax, which jobspec2 also reads. */
import { parseJob } from "./helpers";

const JOB = `{
  "variable": { "image": { "type": "string", "default": "redis:7" } },
  "locals": { "port": 6379 },
  "job": {
    "example": {
      "//": "a comment",
      "datacenters": ["dc1"],
      "meta": { "team": "web" },
      "constraint": [{ "attribute": "\${attr.kernel.name}", "value": "linux" }, { "distinct_hosts": true }],
      "update": { "max_parallel": 2, "min_healthy_time": "10s" },
      "group": {
        "cache": {
          "count": 2,
          "network": { "port": { "db": { "to": "\${local.port}" }, "http": { "static": 8080 } } },
          "volume": { "data": { "type": "host", "source": "data" } },
          "task": {
            "redis": {
              "driver": "docker",
              "config": { "image": "\${var.image}", "ports": ["db"] },
              "env": { "DIR": "\${NOMAD_ALLOC_DIR}/x" },
              "resources": { "cpu": 500, "memory": 256 },
              "template": [{ "data": "x", "destination": "local/x" }],
              "service": { "name": "redis", "port": "db", "check": { "type": "tcp", "interval": "10s", "timeout": "2s" } }
            }
          }
        }
      }
    }
  }
}
`;

describe("HCL JSON syntax", () => {
  it("decodes a job: labels as object levels, repeated blocks as arrays, strings as templates", () => {
    const r = parseJob(JOB);
    expect(r.errors).toBe("");
    const job = r.job;
    expect(job).toMatchObject({
      ID: "example",
      Name: "example",
      Datacenters: ["dc1"],
      Meta: { team: "web" },
      Update: { MaxParallel: 2, MinHealthyTime: 10_000_000_000 },
    });
    expect(job.Constraints).toEqual([
      { LTarget: "${attr.kernel.name}", RTarget: "linux", Operand: "=" },
      { LTarget: "", RTarget: "true", Operand: "distinct_hosts" },
    ]);
    const g = job.TaskGroups[0];
    expect(g).toMatchObject({ Name: "cache", Count: 2, Volumes: { data: { Name: "data", Type: "host", Source: "data" } } });
    expect(g.Networks).toEqual([{ DynamicPorts: [{ Label: "db", To: 6379 }], ReservedPorts: [{ Label: "http", Value: 8080 }] }]);
    expect(g.Tasks[0]).toMatchObject({
      Name: "redis",
      Driver: "docker",
      Config: { image: "redis:7", ports: ["db"] },
      Env: { DIR: "${NOMAD_ALLOC_DIR}/x" },
      Resources: { CPU: 500, MemoryMB: 256 },
      Templates: [{ EmbeddedTmpl: "x", DestPath: "local/x", ChangeMode: "restart" }],
      Services: [{ Name: "redis", PortLabel: "db", Checks: [{ Type: "tcp", Interval: 10_000_000_000, Timeout: 2_000_000_000 }] }],
    });
    expect(parseJob(JOB, { argVars: ["image=redis:8"] }).job.TaskGroups[0].Tasks[0].Config.image).toBe("redis:8");
  });

  it("expands dynamic blocks", () => {
    const src = JSON.stringify({
      job: {
        d: {
          dynamic: {
            group: {
              for_each: ["a", "b"],
              labels: ["${group.value}"],
              content: { count: "${group.key + 1}", task: { t: { driver: "docker", env: { NAME: "${group.value}" } } } },
            },
          },
        },
      },
    });
    const r = parseJob(src);
    expect(r.errors).toBe("");
    expect(r.job.TaskGroups).toEqual([
      { Name: "a", Count: 1, Tasks: [{ Name: "t", Driver: "docker", Env: { NAME: "a" } }] },
      { Name: "b", Count: 2, Tasks: [{ Name: "t", Driver: "docker", Env: { NAME: "b" } }] },
    ]);
  });

  it("reports problems at the JSON key or value", () => {
    expect(parseJob('{\n  "job": {\n    "x": {\n      "group": { "g": { "cont": 1 } }\n    }\n  }\n}\n').errors).toBe(
      'job.nomad.hcl:4:25: Unsupported argument; An argument named "cont" is not expected here. Did you mean "count"?',
    );
    expect(parseJob('{\n  "job": {\n    "x": { "region": "${nope(1)}" }\n  }\n}\n').errors).toContain(
      "job.nomad.hcl:3:22: Call to unknown function",
    );
    expect(parseJob('{\n  "job": {\n    "x": { "region": 1,\n  }\n}\n').errors).toContain("job.nomad.hcl:4:3: Invalid JSON object");
    expect(parseJob('{"variable": {"v": {"type": "lisst(string)"}}, "job": {"x": {}}}').errors).toContain(
      'Invalid type specification; Keyword "lisst" is not a valid type constructor.',
    );
  });
});
