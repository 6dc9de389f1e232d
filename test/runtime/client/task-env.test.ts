/** Unit tests: Nomad's task environment, interpolation, templates, payloads and the restart tracker. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildTaskEnv, interpolate, interpolateConfig, allocIndex, type TaskEnvInput } from "../../../lib/runtime/client/task-env";
import { AllocDirLayout } from "../../../lib/runtime/client/alloc-dir";
import {
  buildTaskDir,
  parseEnvFile,
  renderTemplates,
  writeDispatchPayload,
  writeTemplateOutput,
} from "../../../lib/runtime/client/task-dir";
import { RestartTracker, goDuration } from "../../../lib/runtime/client/restart-tracker";
import { FileLogSink, MemoryLogSink } from "../../../lib/runtime/client/task-logs";

const TASK = { namespace: "default", region: "global", job: "j", group: "g", task: "web" };

const input = (over: Partial<TaskEnvInput> = {}): TaskEnvInput => ({
  alloc: {
    ID: "0b5c1d2e-1111-2222-3333-444455556666",
    Name: "web.api[3]",
    Namespace: "default",
    JobID: "web",
    TaskGroup: "api",
    Job: { ID: "web", Name: "web-name", ParentID: "", Meta: { team: "core", "rack-id": "r1" } },
    AllocatedResources: {
      Tasks: {
        server: {
          Cpu: { CpuShares: 500, ReservedCores: null },
          Memory: { MemoryMB: 256, MemoryMaxMB: 512 },
          Networks: null,
          Devices: null,
        },
      },
      Shared: {
        DiskMB: 300,
        Networks: null,
        Ports: [
          { Label: "http", Value: 23456, To: 8080, HostIP: "127.0.0.1" },
          { Label: "db-port", Value: 23457, To: 0, HostIP: "127.0.0.1" },
        ],
      },
    },
  },
  group: { Name: "api", Meta: { team: "group-team" } },
  task: {
    Name: "server",
    Env: {
      URL: "http://${NOMAD_ADDR_http}/x",
      DC: "${node.datacenter}",
      OS: "${attr.kernel.name}",
      RACK: "${meta.rack}",
      UNKNOWN: "${nope.x}",
      HOME_AGAIN: "${env.NOMAD_TASK_NAME}",
    },
    Meta: { Owner: "me" },
  },
  node: {
    ID: "node-1",
    Name: "n1",
    Datacenter: "dc9",
    NodeClass: "big",
    NodePool: "default",
    Attributes: { "kernel.name": "linux" },
    Meta: { rack: "r42" },
  },
  region: "eu",
  dirs: { allocDir: "/a/alloc", localDir: "/a/server/local", secretsDir: "/a/server/secrets" },
  ...over,
});

describe("task environment", () => {
  it("sets Nomad's variables from the allocation, node, resources, ports and meta", () => {
    const { env, nodeValues } = buildTaskEnv(input());
    expect(env).toMatchObject({
      NOMAD_ALLOC_ID: "0b5c1d2e-1111-2222-3333-444455556666",
      NOMAD_SHORT_ALLOC_ID: "0b5c1d2e",
      NOMAD_ALLOC_NAME: "web.api[3]",
      NOMAD_ALLOC_INDEX: "3",
      NOMAD_JOB_ID: "web",
      NOMAD_JOB_NAME: "web-name",
      NOMAD_GROUP_NAME: "api",
      NOMAD_TASK_NAME: "server",
      NOMAD_NAMESPACE: "default",
      NOMAD_REGION: "eu",
      NOMAD_DC: "dc9",
      NOMAD_ALLOC_DIR: "/a/alloc",
      NOMAD_TASK_DIR: "/a/server/local",
      NOMAD_SECRETS_DIR: "/a/server/secrets",
      NOMAD_CPU_LIMIT: "500",
      NOMAD_MEMORY_LIMIT: "256",
      NOMAD_MEMORY_MAX_LIMIT: "512",
      NOMAD_PORT_http: "8080",
      NOMAD_HOST_PORT_http: "23456",
      NOMAD_IP_http: "127.0.0.1",
      NOMAD_ADDR_http: "127.0.0.1:23456",
      NOMAD_PORT_db_port: "23457",
      NOMAD_ADDR_db_port: "127.0.0.1:23457",
      // task meta wins over group meta over job meta; keys as given and upper-cased, cleaned
      NOMAD_META_team: "group-team",
      NOMAD_META_TEAM: "group-team",
      NOMAD_META_rack_id: "r1",
      NOMAD_META_RACK_ID: "r1",
      NOMAD_META_Owner: "me",
      NOMAD_META_OWNER: "me",
      URL: "http://127.0.0.1:23456/x",
      DC: "dc9",
      OS: "linux",
      RACK: "r42",
      UNKNOWN: "${nope.x}",
      HOME_AGAIN: "server",
    });
    expect(nodeValues).toMatchObject({
      "node.unique.id": "node-1",
      "node.unique.name": "n1",
      "node.class": "big",
      "node.pool": "default",
      "node.region": "eu",
    });
  });

  it("leaves the directory variables out without directories, and templates' env wins over the task's", () => {
    const { env } = buildTaskEnv(input({ dirs: null, templateEnv: { DC: "from-template" } }));
    expect(env.NOMAD_TASK_DIR).toBeUndefined();
    expect(env.DC).toBe("from-template");
  });

  it('interpolates strings, lists and maps of a driver config; HCL2\'s env["X"] too', () => {
    const env = { NOMAD_TASK_NAME: "t", "A.B": "dotted" };
    const nodeVals = { "attr.cpu.arch": "amd64" };
    expect(interpolate('${NOMAD_TASK_NAME}-${attr.cpu.arch}-${env["NOMAD_TASK_NAME"]}-$${x}', env, nodeVals)).toBe("t-amd64-t-$${x}");
    expect(
      interpolateConfig({ args: ["${NOMAD_TASK_NAME}", 3, true], nested: { "k-${NOMAD_TASK_NAME}": "${A.B}" } }, env, nodeVals),
    ).toEqual({ args: ["t", 3, true], nested: { "k-t": "dotted" } });
    expect(allocIndex("job.group[12]")).toBe(12);
    expect(allocIndex("odd")).toBe(-1);
  });
});

describe("task directory, templates and dispatch payload", () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "drover-taskdir-"));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("builds Nomad's layout, writes the payload to local/<file> and renders inline templates", () => {
    const layout = new AllocDirLayout(root, "a1");
    const dirs = buildTaskDir(layout, "web");
    for (const d of ["alloc/data", "alloc/logs", "alloc/tmp", "web/local", "web/secrets", "web/tmp"])
      expect(fs.statSync(path.join(root, "alloc", "a1", d)).isDirectory()).toBe(true);
    expect(fs.statSync(dirs.secretsDir).mode & 0o777).toBe(0o700);
    writeDispatchPayload(layout, dirs, "input/data.json", Buffer.from('{"n":1}').toString("base64"));
    expect(fs.readFileSync(path.join(dirs.localDir, "input", "data.json"), "utf8")).toBe('{"n":1}');
    const env = { NOMAD_TASK_NAME: "web", PORT: "8080" };
    const rendered = renderTemplates(
      layout,
      dirs,
      [
        {
          DestPath: "local/app.conf",
          EmbeddedTmpl: 'name={{ env "NOMAD_TASK_NAME" }} port={{env "PORT"}} dc=${node.datacenter}\n',
          Perms: "0600",
        },
        { DestPath: "secrets/app.env", EmbeddedTmpl: 'TOKEN=abc\n# comment\nMODE="prod"\n', Envvars: true },
      ],
      env,
      { "node.datacenter": "dc1" },
      TASK,
    );
    for (const f of rendered.files) writeTemplateOutput(f);
    const extra = rendered.env;
    expect(fs.readFileSync(path.join(dirs.localDir, "app.conf"), "utf8")).toBe("name=web port=8080 dc=dc1\n");
    expect(fs.statSync(path.join(dirs.localDir, "app.conf")).mode & 0o777).toBe(0o600);
    expect(extra).toEqual({ TOKEN: "abc", MODE: "prod" });
  });

  it("refuses unsupported template actions, source files and paths outside the allocation", () => {
    const layout = new AllocDirLayout(root, "a2");
    const dirs = buildTaskDir(layout, "web");
    expect(() => renderTemplates(layout, dirs, [{ DestPath: "local/x", EmbeddedTmpl: '{{ key "x" }}' }], {}, {}, TASK)).toThrow(
      /error calling key: Consul is not configured on this agent/,
    );
    expect(() => renderTemplates(layout, dirs, [{ DestPath: "local/x", EmbeddedTmpl: '{{ secret "x" }}' }], {}, {}, TASK)).toThrow(
      /Vault is not configured on this agent/,
    );
    expect(() => renderTemplates(layout, dirs, [{ DestPath: "local/x", SourcePath: "/etc/hosts" }], {}, {}, TASK)).toThrow(
      /template source "\/etc\/hosts" is outside the allocation directory/,
    );
    expect(() => renderTemplates(layout, dirs, [{ DestPath: "../../../../etc/evil", EmbeddedTmpl: "x" }], {}, {}, TASK)).toThrow(
      /outside the allocation directory/,
    );
    expect(() => writeDispatchPayload(layout, dirs, "../../../x", "")).toThrow(/outside the allocation directory/);
    expect(() => parseEnvFile("no equals sign")).toThrow(/not KEY=VALUE/);
  });
});

describe("restart tracker", () => {
  const policy = { attempts: 2, intervalMs: 60_000, delayMs: 1000, mode: "fail" };

  it("restarts within policy with up to 25% jitter, then fails with Nomad's reason", () => {
    let now = 0;
    const r = new RestartTracker(
      policy,
      true,
      () => now,
      () => 0.999,
    );
    const a = r.decide({ success: false });
    expect(a).toMatchObject({ kind: "restart", reason: "Restart within policy" });
    expect(a.kind === "restart" && a.delayMs).toBeGreaterThanOrEqual(1000);
    expect(a.kind === "restart" && a.delayMs).toBeLessThanOrEqual(1250);
    expect(r.decide({ success: true }).kind).toBe("restart"); // a service restarts after exit 0 too
    expect(r.decide({ success: false })).toEqual({
      kind: "fail",
      reason: 'Exceeded allowed attempts 2 in interval 1m0s and mode is "fail"',
    });
    now = 61_000; // a new interval starts the count again
    expect(r.decide({ success: false }).kind).toBe("restart");
  });

  it("mode delay waits for the interval's end; batch exits 0 are done; attempts 0 and unrecoverable errors fail", () => {
    let now = 0;
    const d = new RestartTracker({ ...policy, attempts: 1, mode: "delay" }, true, () => now);
    d.decide({ success: false });
    now = 20_000;
    expect(d.decide({ success: false })).toEqual({
      kind: "restart",
      delayMs: 40_000,
      reason: "Exceeded allowed attempts, applying a delay",
    });
    const batch = new RestartTracker(policy, RestartTracker.restartsOnSuccess("batch", "", false));
    expect(batch.decide({ success: true })).toEqual({ kind: "done", reason: "Restart unnecessary as task terminated successfully" });
    expect(new RestartTracker({ ...policy, attempts: 0 }, true).decide({ success: true })).toEqual({
      kind: "fail",
      reason: "Policy allows no restarts",
    });
    expect(new RestartTracker(policy, true).decide({ startError: { recoverable: false } })).toEqual({
      kind: "fail",
      reason: "Error was unrecoverable",
    });
    expect(RestartTracker.restartsOnSuccess("service", "prestart", true)).toBe(true);
    expect(RestartTracker.restartsOnSuccess("service", "prestart", false)).toBe(false);
    expect(RestartTracker.restartsOnSuccess("service", "poststop", false)).toBe(false);
    expect(goDuration(90_000)).toBe("1m30s");
    expect(goDuration(1500)).toBe("1.5s");
    expect(goDuration(250)).toBe("250ms");
    expect(goDuration(3_600_000)).toBe("1h0m0s");
  });
});

describe("log files", () => {
  it("rotate at the size limit, keep the newest MaxFiles, and continue the last file after a restart", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-rotate-"));
    try {
      const logs = path.join(dir, "alloc", "logs");
      const sink = () =>
        new FileLogSink(path.join(logs, "web.stdout.0"), path.join(logs, "web.stderr.0"), { maxFiles: 2, maxFileBytes: 4 });
      sink().write("stdout", "abcdefghij");
      const read = () =>
        Object.fromEntries(
          fs
            .readdirSync(logs)
            .sort()
            .map((f) => [f, fs.readFileSync(path.join(logs, f), "utf8")]),
        );
      expect(read()).toEqual({ "web.stdout.1": "efgh", "web.stdout.2": "ij" });
      const again = sink();
      again.write("stdout", "kl");
      again.write("stdout", "m");
      again.write("stderr", "e");
      expect(read()).toEqual({ "web.stdout.2": "ijkl", "web.stdout.3": "m", "web.stderr.0": "e" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("in-memory task output", () => {
  it("keeps the newest bytes of each stream within its bound", () => {
    const s = new MemoryLogSink(10);
    s.write("stdout", "0123456789");
    s.write("stdout", "abc");
    s.write("stderr", "e");
    expect(s.read("stdout").toString()).toBe("3456789abc");
    expect(s.read("stderr").toString()).toBe("e");
  });
});
