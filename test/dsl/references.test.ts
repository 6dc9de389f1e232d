/**
 * References instead of strings: ports and volumes are objects, and a
 * reference to one that is not in the group fails at synthesis with the
 * construct path, not when the allocation starts.
 */
import { Driver, formatProblem, Interp, Job, SynthesisError, Testing } from "../../lib/dsl";

function problems(job: Job): string[] {
  try {
    Testing.synth(job);
  } catch (err) {
    if (err instanceof SynthesisError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}

describe("port references", () => {
  test("a port object flows into the service, the check, the docker config and env", () => {
    const job = new Job(Testing.app(), "app");
    const g = job.addGroup("web");
    const http = g.network.addDynamicPort("http", { to: 8000 });
    const admin = g.addPort("admin", { static: 9000 });
    g.addTask("server", {
      driver: Driver.docker({ image: "x", ports: [http, admin] }),
      env: { LISTEN: http.envAddr, ADMIN_PORT: admin.envHostPort },
    });
    g.addService("web", { port: http, checks: [{ type: "tcp", port: admin, interval: "5s", timeout: "1s" }] });
    const out = Testing.synth(job).Job as any;
    expect(out.TaskGroups[0].Services[0].PortLabel).toBe("http");
    expect(out.TaskGroups[0].Services[0].Checks[0].PortLabel).toBe("admin");
    expect(out.TaskGroups[0].Tasks[0].Config.ports).toEqual(["http", "admin"]);
    expect(out.TaskGroups[0].Tasks[0].Env).toEqual({ ADMIN_PORT: "${NOMAD_HOST_PORT_admin}", LISTEN: "${NOMAD_ADDR_http}" });
  });

  test("a port of another group fails at synthesis, at every place it is used", () => {
    const job = new Job(Testing.app(), "my-app");
    const api = job.addGroup("api");
    const http = api.addPort("http");
    api.addTask("t", { driver: Driver.mock() });
    const web = job.addGroup("web");
    web.addPort("metrics");
    const server = web.addTask("server", { driver: Driver.docker({ image: "x", ports: [http] }) });
    server.addService("s", { port: http });
    web.addService("g", { port: "metrics", checks: [{ type: "tcp", port: http, interval: "5s", timeout: "1s" }] });
    expect(problems(job)).toEqual([
      'my-app/web/server: driver.ports[0]: port "http" belongs to group my-app/api, not to the network of group my-app/web; declare it in this group (group.network.addDynamicPort("http"))',
      'my-app/web/server/s: port: port "http" belongs to group my-app/api, not to the network of group my-app/web; declare it in this group (group.network.addDynamicPort("http"))',
      'my-app/web/g: checks[0].port: port "http" belongs to group my-app/api, not to the network of group my-app/web; declare it in this group (group.network.addDynamicPort("http"))',
    ]);
  });

  test("an unknown label fails at synthesis and lists the group's ports", () => {
    const job = new Job(Testing.app(), "j");
    const g = job.addGroup("g");
    g.addPort("http");
    g.addTask("t", { driver: Driver.docker({ image: "x", ports: ["htp"] }) });
    expect(problems(job)).toEqual(['j/g/t: driver.ports[0]: no port "htp" in the network of group j/g (its ports: "http")']);
  });
});

describe("volume references", () => {
  test("a mount of a volume the group does not declare fails at synthesis", () => {
    const job = new Job(Testing.app(), "j");
    const a = job.addGroup("a");
    const data = a.addVolume("data", { type: "host" });
    a.addTask("t", { driver: Driver.mock(), volumeMounts: [{ volume: data, destination: "/data" }] });
    const b = job.addGroup("b");
    b.addVolume("data", { type: "host" });
    b.addTask("t", {
      driver: Driver.mock(),
      volumeMounts: [
        { volume: data, destination: "/data" },
        { volume: "logs", destination: "/logs" },
      ],
    });
    expect(problems(job)).toEqual([
      'j/b/t: volumeMounts[0].volume: volume "data" belongs to group j/a, not to group j/b',
      'j/b/t: volumeMounts[1].volume: no volume "logs" in group j/b (declare it with group.addVolume("logs", {...}))',
    ]);
  });
});

describe("Interp", () => {
  test("runtime interpolations", () => {
    expect(Interp.meta("date")).toBe("${NOMAD_META_date}");
    expect(Interp.env("HOME")).toBe("${HOME}");
    expect(Interp.attr("kernel.name")).toBe("${attr.kernel.name}");
    expect([Interp.allocIndex, Interp.allocId, Interp.allocName, Interp.allocDir, Interp.taskDir, Interp.secretsDir]).toEqual([
      "${NOMAD_ALLOC_INDEX}",
      "${NOMAD_ALLOC_ID}",
      "${NOMAD_ALLOC_NAME}",
      "${NOMAD_ALLOC_DIR}",
      "${NOMAD_TASK_DIR}",
      "${NOMAD_SECRETS_DIR}",
    ]);
    expect([
      Interp.jobId,
      Interp.jobName,
      Interp.parentJobId,
      Interp.groupName,
      Interp.taskName,
      Interp.namespace,
      Interp.region,
      Interp.datacenter,
      Interp.cpuLimit,
      Interp.memoryLimit,
    ]).toEqual([
      "${NOMAD_JOB_ID}",
      "${NOMAD_JOB_NAME}",
      "${NOMAD_JOB_PARENT_ID}",
      "${NOMAD_GROUP_NAME}",
      "${NOMAD_TASK_NAME}",
      "${NOMAD_NAMESPACE}",
      "${NOMAD_REGION}",
      "${NOMAD_DC}",
      "${NOMAD_CPU_LIMIT}",
      "${NOMAD_MEMORY_LIMIT}",
    ]);
  });
});
