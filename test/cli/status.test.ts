/** `drover status`, `drover alloc status` and `drover alloc logs`: pinned renderer output, and the commands end to end against the included runtime. */
process.env.TZ = "UTC";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import type { Allocation, AllocationListStub, Deployment, JobListStub, JobSummary, ReadBackJob } from "../../lib/api";
import { AllocDirLayout } from "../../lib/runtime/client/alloc-dir";
import { renderAllocStatus } from "../../lib/cli/render/status-alloc";
import { humanBytes, prettyTimeDiff } from "../../lib/cli/render/status-format";
import { renderJobList, renderJobStatus } from "../../lib/cli/render/status-job";
import { lastLines } from "../../lib/cli/commands/alloc/logs";
import { testIO } from "../plan/cli-io";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const NS = (ms: number) => ms * 1e6;

const stub: JobListStub = {
  ID: "web",
  ParentID: "",
  Name: "web",
  Namespace: "default",
  Datacenters: ["dc1"],
  Type: "service",
  Priority: 50,
  Periodic: false,
  ParameterizedJob: false,
  Stop: false,
  Status: "running",
  StatusDescription: "",
  JobSummary: null,
  CreateIndex: 10,
  ModifyIndex: 12,
  JobModifyIndex: 10,
  SubmitTime: NS(NOW - 3_600_000),
};

const allocStub: AllocationListStub = {
  ID: "8ba85cef-0b7a-4f7c-9d0b-5a1d8f7f2b11",
  EvalID: "1c2d3e4f-0000-0000-0000-000000000000",
  Name: "web.app[0]",
  Namespace: "default",
  NodeID: "171a583b-aaaa-bbbb-cccc-000000000000",
  NodeName: "node-1",
  JobID: "web",
  JobVersion: 1,
  TaskGroup: "app",
  DesiredStatus: "run",
  DesiredDescription: "",
  ClientStatus: "running",
  ClientDescription: "Tasks are running",
  TaskStates: null,
  DeploymentStatus: { Healthy: true, Canary: false },
  CreateIndex: 20,
  ModifyIndex: 25,
  CreateTime: NS(NOW - 5 * 60_000 - 3000),
  ModifyTime: NS(NOW - 65_000),
};

describe("status renderers (pinned output)", () => {
  it("formats relative times and sizes as Nomad's CLI does", () => {
    expect(prettyTimeDiff(NOW - 303_000, NOW)).toBe("5m3s ago");
    expect(prettyTimeDiff(NOW - (2 * 3600 + 61) * 1000, NOW)).toBe("2h1m ago");
    expect(prettyTimeDiff(NOW - 400, NOW)).toBe("0s ago");
    expect(prettyTimeDiff(NOW + 3000, NOW)).toBe("3s from now");
    expect(prettyTimeDiff(NOW - 40 * 86_400_000, NOW)).toBe("1mo10d ago");
    expect(humanBytes(0)).toBe("0 B");
    expect(humanBytes(512)).toBe("512 B");
    expect(humanBytes(6.3 * 1024 * 1024)).toBe("6.3 MiB");
    expect(humanBytes(256 * 1024 * 1024)).toBe("256 MiB");
    expect(lastLines("a\nb\nc\n", 2)).toBe("b\nc\n");
    expect(lastLines("a\nb", 5)).toBe("a\nb");
  });

  it("lists jobs", () => {
    expect(
      renderJobList([stub, { ...stub, ID: "nightly", Type: "batch", Periodic: true, Status: "dead", Stop: true, Priority: 70 }], false),
    ).toBe(
      [
        "ID       Type            Priority  Status          Submit Date",
        "web      service         50        running         2026-11-23T11:00:00Z",
        "nightly  batch/periodic  70        dead (stopped)  2026-11-23T11:00:00Z",
        "",
      ].join("\n"),
    );
    expect(renderJobList([], false)).toBe("No running jobs\n");
  });

  it("shows one job: facts, summary, latest deployment, allocations", () => {
    const job = {
      ...stub,
      Version: 1,
      Datacenters: ["dc1", "dc2"],
      NodePool: "default",
      Periodic: null,
      ParameterizedJob: null,
    } as unknown as ReadBackJob;
    const summary: JobSummary = {
      JobID: "web",
      Namespace: "default",
      Summary: { app: { Queued: 0, Starting: 0, Running: 2, Failed: 1, Complete: 0, Lost: 0, Unknown: 0 } },
      Children: { Pending: 0, Running: 0, Dead: 0 },
      CreateIndex: 10,
      ModifyIndex: 30,
    };
    const deployment: Deployment = {
      ID: "4d6d7c4b-1111-2222-3333-444455556666",
      Namespace: "default",
      JobID: "web",
      JobVersion: 1,
      JobModifyIndex: 10,
      JobSpecModifyIndex: 10,
      JobCreateIndex: 10,
      Status: "successful",
      StatusDescription: "Deployment completed successfully",
      TaskGroups: {
        app: {
          AutoRevert: false,
          ProgressDeadline: 600_000_000_000,
          RequireProgressBy: "2026-11-23T11:10:00Z",
          Promoted: false,
          PlacedCanaries: null,
          DesiredCanaries: 0,
          DesiredTotal: 2,
          PlacedAllocs: 2,
          HealthyAllocs: 2,
          UnhealthyAllocs: 0,
        },
      },
      CreateIndex: 11,
      ModifyIndex: 30,
    };
    const second = {
      ...allocStub,
      ID: "0af996ed-0000-0000-0000-000000000000",
      Name: "web.app[1]",
      CreateIndex: 21,
      DesiredStatus: "stop" as const,
      ClientStatus: "failed" as const,
      CreateTime: NS(NOW - 12_000),
      ModifyTime: NS(NOW - 2000),
    };
    expect(renderJobStatus({ job, summary, deployment, allocations: [allocStub, second] }, { nowMs: NOW })).toBe(
      [
        "ID            = web",
        "Name          = web",
        "Submit Date   = 2026-11-23T11:00:00Z",
        "Type          = service",
        "Priority      = 50",
        "Datacenters   = dc1,dc2",
        "Namespace     = default",
        "Node Pool     = default",
        "Status        = running",
        "Periodic      = false",
        "Parameterized = false",
        "",
        "Summary",
        "Task Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown",
        "app         0       0         2        1       0         0     0",
        "",
        "Latest Deployment",
        "ID          = 4d6d7c4b",
        "Status      = successful",
        "Description = Deployment completed successfully",
        "",
        "Deployed",
        "Task Group  Desired  Placed  Healthy  Unhealthy  Progress Deadline",
        "app         2        2       2        0          2026-11-23T11:10:00Z",
        "",
        "Allocations",
        "ID        Node ID   Task Group  Version  Desired  Status   Created   Modified",
        "0af996ed  171a583b  app         1        stop     failed   12s ago   2s ago",
        "8ba85cef  171a583b  app         1        run      running  5m3s ago  1m5s ago",
        "",
      ].join("\n"),
    );
    expect(renderJobStatus({ job, summary: null, deployment: null, allocations: [] }, { nowMs: NOW })).toContain(
      "\nAllocations\nNo allocations placed\n",
    );
  });

  it("shows a periodic launch as the job it is, naming its parent", () => {
    const launched = {
      ...stub,
      ID: "nightly/periodic-1795400000",
      Name: "nightly/periodic-1795400000",
      ParentID: "nightly",
      Type: "batch",
      Version: 0,
      NodePool: "default",
      Periodic: { Enabled: true, Spec: "0 3 * * *" },
      ParameterizedJob: null,
    } as unknown as ReadBackJob;
    const summary: JobSummary = {
      JobID: launched.ID,
      Namespace: "default",
      Summary: { web: { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 } },
      Children: { Pending: 0, Running: 0, Dead: 0 },
      CreateIndex: 1,
      ModifyIndex: 2,
    } as JobSummary;
    const out = renderJobStatus({ job: launched, summary, deployment: null, allocations: [] }, { nowMs: NOW });
    expect(out).toContain(
      "\nSummary\nTask Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown\nweb         0       0         0        0       0         0     0\n",
    );
    expect(out).toContain("\nParent ID     = nightly (periodic launch)\n");
    expect(out).toContain("\nPeriodic      = false\n");
    expect(out).not.toContain("Next Periodic Launch");
    expect(out).not.toContain("Previously Launched Jobs");
    expect(out).toContain("\nAllocations\nNo allocations placed\n");
  });

  it("shows a periodic job's next launch and launched children, and a parameterized job's dispatched children", () => {
    const periodicJob = {
      ...stub,
      ID: "nightly",
      Name: "nightly",
      Type: "batch",
      Version: 0,
      NodePool: "default",
      Periodic: { Enabled: true, Spec: "0 3 * * *" },
      ParameterizedJob: null,
    } as unknown as ReadBackJob;
    const summary: JobSummary = {
      JobID: "nightly",
      Namespace: "default",
      Summary: {},
      Children: { Pending: 0, Running: 1, Dead: 1 },
      CreateIndex: 1,
      ModifyIndex: 2,
    };
    const child = (id: string, status: string, parent = "nightly") => ({ ...stub, ID: id, ParentID: parent, Status: status });
    const out = renderJobStatus(
      {
        job: periodicJob,
        summary,
        deployment: null,
        allocations: [],
        children: [child("nightly/periodic-1795400000", "dead"), child("nightly/periodic-1795486400", "running")],
        nextLaunchMs: NOW + 4 * 60_000,
      },
      { nowMs: NOW },
    );
    expect(out).toBe(
      [
        "ID                   = nightly",
        "Name                 = nightly",
        "Submit Date          = 2026-11-23T11:00:00Z",
        "Type                 = batch",
        "Priority             = 50",
        "Datacenters          = dc1",
        "Namespace            = default",
        "Node Pool            = default",
        "Status               = running",
        "Periodic             = true",
        "Parameterized        = false",
        "Next Periodic Launch = 2026-11-23T12:04:00Z (4m0s from now)",
        "",
        "Children Job Summary",
        "Pending  Running  Dead",
        "0        1        1",
        "",
        "Previously Launched Jobs",
        "ID                           Status",
        "nightly/periodic-1795400000  dead",
        "nightly/periodic-1795486400  running",
        "",
      ].join("\n"),
    );
    const paramJob = {
      ...stub,
      ID: "etl",
      Name: "etl",
      Type: "batch",
      Version: 0,
      Periodic: null,
      ParameterizedJob: { Payload: "optional", MetaRequired: ["date"], MetaOptional: ["source", "dry"] },
    } as unknown as ReadBackJob;
    const p = renderJobStatus(
      {
        job: paramJob,
        summary: { ...summary, JobID: "etl", Children: { Pending: 0, Running: 0, Dead: 0 } },
        deployment: null,
        allocations: [],
        children: [],
      },
      { nowMs: NOW },
    );
    expect(p).toContain(
      [
        "Parameterized = true",
        "",
        "Parameterized Job",
        "Payload           = optional",
        "Required Metadata = date",
        "Optional Metadata = source, dry",
        "",
        "Parameterized Job Summary",
        "Pending  Running  Dead",
        "0        0        0",
        "",
        "No dispatched instances of parameterized job found",
        "",
      ].join("\n"),
    );
  });

  it("explains placement failures while an evaluation is blocked", () => {
    const job = { ...stub, Version: 0, NodePool: "default", Periodic: null, ParameterizedJob: null } as unknown as ReadBackJob;
    const metric = {
      NodesEvaluated: 3,
      NodesFiltered: 1,
      NodesAvailable: { dc1: 3, dc2: 0 },
      ClassFiltered: null,
      ConstraintFiltered: { "missing drivers": 1 },
      NodesExhausted: 2,
      ClassExhausted: null,
      DimensionExhausted: { memory: 2 },
      AllocationTime: 0,
      CoalescedFailures: 1,
    };
    const base = {
      ID: "e1",
      Namespace: "default",
      Priority: 50,
      Type: "service",
      TriggeredBy: "job-register",
      JobID: "web",
      Status: "complete",
      StatusDescription: "",
      CreateIndex: 5,
      ModifyIndex: 5,
    };
    const evaluations = [
      { ...base, FailedTGAllocs: { app: metric } },
      { ...base, ID: "e2", Status: "blocked", FailedTGAllocs: null, CreateIndex: 6 },
    ] as never;
    const out = renderJobStatus({ job, summary: null, deployment: null, allocations: [], evaluations }, { nowMs: NOW });
    expect(out).toContain(
      [
        "Parameterized = false",
        "",
        "Placement Failure",
        'Task Group "app":',
        '  * No nodes are available in datacenter "dc2"',
        '  * Constraint "missing drivers": 1 nodes excluded by filter',
        "  * Resources exhausted on 2 nodes",
        '  * Dimension "memory" exhausted on 2 nodes',
        "",
        "Allocations",
        "No allocations placed",
      ].join("\n"),
    );
    // Without a blocked evaluation the old failure is history and not shown.
    expect(
      renderJobStatus({ job, summary: null, deployment: null, allocations: [], evaluations: [evaluations[0]] }, { nowMs: NOW }),
    ).not.toContain("Placement Failure");
  });

  it("shows reschedule attempts within the policy's interval, the replacement and when the next reschedule may happen", () => {
    const alloc = {
      ...allocStub,
      ClientStatus: "failed",
      DeploymentID: "",
      NextAllocation: "0af996ed-0000-0000-0000-000000000000",
      PreviousAllocation: "",
      Metrics: null,
      AllocatedResources: null,
      TaskStates: {},
      ModifyTime: NS(NOW),
      Job: { Version: 1, TaskGroups: [{ Name: "app", ReschedulePolicy: { Attempts: 3, Interval: 3_600_000_000_000 } }] },
      RescheduleTracker: { Events: [{ RescheduleTime: NS(NOW - 7_200_000) }, { RescheduleTime: NS(NOW - 60_000) }] },
    } as unknown as Allocation;
    const out = renderAllocStatus({ alloc, stats: null, checks: null, followupWaitUntilMs: NOW + 30_000 }, { nowMs: NOW });
    expect(out).toContain(
      "Modified               = 0s ago\nReschedule Attempts    = 1/3\nReplacement Alloc ID   = 0af996ed\nReschedule Eligibility = 30s from now\n",
    );
  });

  it("shows one allocation: facts, checks, task resources and recent events", () => {
    const t0 = NOW - 300_000;
    const alloc = {
      ...allocStub,
      DeploymentID: "4d6d7c4b-1111-2222-3333-444455556666",
      PreviousAllocation: "",
      NextAllocation: "",
      Metrics: null,
      Job: { Version: 1, TaskGroups: [{ Name: "app", Tasks: [{ Name: "server", Resources: { CPU: 500, MemoryMB: 256 } }] }] },
      AllocatedResources: {
        Tasks: { server: { Cpu: { CpuShares: 500 }, Memory: { MemoryMB: 256 } } },
        Shared: { DiskMB: 300, Ports: [{ Label: "http", Value: 22672, To: 0, HostIP: "127.0.0.1" }] },
      },
      TaskStates: {
        server: {
          State: "running",
          Failed: false,
          Restarts: 0,
          LastRestart: "0001-01-01T00:00:00Z",
          StartedAt: new Date(t0 + 2000).toISOString(),
          FinishedAt: null,
          Events: [
            { Type: "Received", Time: NS(t0), DisplayMessage: "Task received by client" },
            { Type: "Task Setup", Time: NS(t0 + 1000), Message: "Building Task Directory" },
            { Type: "Started", Time: NS(t0 + 2000), DisplayMessage: "" },
          ],
        },
      },
    } as unknown as Allocation;
    const stats = {
      ResourceUsage: { MemoryStats: { RSS: 0 }, CpuStats: { TotalTicks: 0 } },
      Tasks: {
        server: {
          ResourceUsage: { MemoryStats: { RSS: 6.3 * 1024 * 1024, Usage: 0 }, CpuStats: { TotalTicks: 8.7 } },
          Timestamp: 0,
          Pids: null,
        },
      },
      Timestamp: 0,
    } as never;
    const checks = {
      abc: {
        ID: "abc",
        Mode: "healthiness" as const,
        Status: "success" as const,
        Output: "nomad: http ok",
        Timestamp: 0,
        Group: "app",
        Service: "web",
        Check: "alive",
      },
    };
    expect(renderAllocStatus({ alloc, stats, checks }, { nowMs: NOW })).toBe(
      [
        "ID                  = 8ba85cef-0b7a-4f7c-9d0b-5a1d8f7f2b11",
        "Eval ID             = 1c2d3e4f",
        "Name                = web.app[0]",
        "Node ID             = 171a583b",
        "Node Name           = node-1",
        "Job ID              = web",
        "Job Version         = 1",
        "Client Status       = running",
        "Client Description  = Tasks are running",
        "Desired Status      = run",
        "Desired Description = <none>",
        "Created             = 5m3s ago",
        "Modified            = 1m5s ago",
        "Deployment ID       = 4d6d7c4b",
        "Deployment Health   = healthy",
        "",
        "Nomad Service Checks:",
        "Service  Task     Name   Mode         Status",
        "web      (group)  alive  healthiness  success",
        "",
        'Task "server" is "running"',
        "Task Resources:",
        "CPU        Memory           Disk     Addresses",
        "8/500 MHz  6.3 MiB/256 MiB  300 MiB  http: 127.0.0.1:22672",
        "",
        "Task Events:",
        "Started At     = 2026-11-23T11:55:02Z",
        "Finished At    = N/A",
        "Total Restarts = 0",
        "Last Restart   = N/A",
        "",
        "Recent Events:",
        "Time                  Type        Description",
        "2026-11-23T11:55:02Z  Started     Task started by client",
        "2026-11-23T11:55:01Z  Task Setup  Building Task Directory",
        "2026-11-23T11:55:00Z  Received    Task received by client",
        "",
      ].join("\n"),
    );
  });
});

describe("drover status and drover alloc against the runtime", () => {
  let t: TestAgent;
  let dataDir: string;
  let allocID: string;
  const run = async (...argv: string[]) => {
    const io = testIO(process.cwd(), { NOMAD_ADDR: t.address });
    const code = await main(argv, io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-status-cli-"));
    t = await startTestAgent({ dataDir });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("webapp", { count: 1 }) });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("webcache", { count: 1 }) });
    const a = await waitFor("webapp running", async () =>
      ((await api(t.address, "GET", "/v1/job/webapp/allocations")).body as { ID: string; ClientStatus: string }[]).find(
        (x) => x.ClientStatus === "running",
      ),
    );
    allocID = a.ID;
    const layout = new AllocDirLayout(path.join(dataDir, "client"), allocID);
    fs.mkdirSync(layout.logsDir, { recursive: true });
    fs.writeFileSync(layout.logFile("main", "stdout", 0), Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n") + "\n");
    fs.writeFileSync(layout.logFile("main", "stderr", 0), "oops\n");
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists jobs and shows one by prefix", async () => {
    const list = await run("status");
    expect(list.code).toBe(0);
    expect(list.out.split("\n")[0]).toBe("ID        Type     Priority  Status   Submit Date");
    expect(list.out).toMatch(/^webapp {4}service {2}50 {8}running {2}\d{4}-\d\d-\d\dT/m);
    const one = await run("status", "webap");
    expect(one.code).toBe(0);
    const normalized = one.out
      .replace(/[0-9a-f]{8}(?=\s)/g, "<id>")
      .replace(/\d+s ago/g, "<ago>")
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, "<time>");
    expect(normalized).toContain(
      ["ID            = webapp", "Name          = webapp", "Submit Date   = <time>", "Type          = service"].join("\n"),
    );
    expect(normalized).toContain(
      [
        "Summary",
        "Task Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown",
        "web         0       0         1        0       0         0     0",
      ].join("\n"),
    );
    expect(one.out).toMatch(
      /\nAllocations\nID {8}Node ID {3}Task Group {2}Version {2}Desired {2}Status {3}Created +Modified\n[0-9a-f]{8} {2}[0-9a-f]{8} {2}web {9}0 {8}run {6}running {2}\d+s ago +\d+s ago\n$/,
    );
    expect(normalized).toMatch(/Latest Deployment\nID {10}= <id>\nStatus {6}= (running|successful)/);
  });

  it("shows why a job cannot be placed", async () => {
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("toobig", { memoryMB: 100_000_000 }) });
    await waitFor("a blocked evaluation", async () =>
      ((await api(t.address, "GET", "/v1/job/toobig/evaluations")).body as { Status: string }[]).some((e) => e.Status === "blocked"),
    );
    const r = await run("status", "toobig");
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '\nPlacement Failure\nTask Group "web":\n  * Resources exhausted on 1 nodes\n  * Dimension "memory" exhausted on 1 nodes\n',
    );
    await api(t.address, "DELETE", "/v1/job/toobig?purge=true");
  });

  it("lists a parameterized job's dispatched children", async () => {
    const job = { ...mockJob("etl", { type: "batch", runFor: "1h" }), ParameterizedJob: { Payload: "forbidden", MetaRequired: ["date"] } };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const d = await api(t.address, "PUT", "/v1/job/etl/dispatch", { Meta: { date: "2026-11-23" } });
    expect(d.status).toBe(200);
    const r = await run("status", "etl");
    expect(r.code).toBe(0);
    expect(r.out).toContain("\nParameterized Job\nPayload           = forbidden\nRequired Metadata = date\nOptional Metadata = <none>\n");
    expect(r.out).toMatch(
      new RegExp(`\\nDispatched Jobs\\nID +Status\\n${d.body.DispatchedJobID.replace(/[/-]/g, "\\$&")} +(pending|running)\\n$`),
    );

    // The child itself: its own summary and allocations, with its parent named.
    await waitFor("the dispatched job to run", async () =>
      (
        (await api(t.address, "GET", `/v1/job/${encodeURIComponent(d.body.DispatchedJobID)}/allocations`)).body as {
          ClientStatus: string;
        }[]
      ).some((a) => a.ClientStatus === "running"),
    );
    const c = await run("status", d.body.DispatchedJobID);
    expect(c.code).toBe(0);
    expect(c.out).toContain(`\nParent ID     = etl (dispatched)\n`);
    expect(c.out).toContain("\nParameterized = false\n");
    expect(c.out).not.toContain("Dispatched Jobs");
    expect(c.out).not.toContain("No dispatched instances");
    expect(c.out).toMatch(/\nSummary\nTask Group +Queued +Starting +Running +Failed +Complete +Lost +Unknown\nweb +0 +0 +1 +0 +0 +0 +0\n/);
    expect(c.out).toMatch(
      /\nAllocations\nID +Node ID +Task Group +Version +Desired +Status +Created +Modified\n[0-9a-f]{8} +[0-9a-f]{8} +web +0 +run +running /,
    );
    await api(t.address, "DELETE", "/v1/job/etl?purge=true");
  });

  it("fails with exit code 1 for unknown or ambiguous jobs, 2 for usage errors", async () => {
    const none = await run("status", "nope");
    expect(none).toMatchObject({ code: 1, err: 'No job(s) with prefix or ID "nope" found\n' });
    const many = await run("status", "web");
    expect(many.code).toBe(1);
    expect(many.err).toMatch(/^Prefix matched multiple jobs\n\nID +Type/);
    expect((await run("status", "a", "b")).code).toBe(2);
    expect((await run("alloc")).code).toBe(2);
    expect((await run("alloc", "frob")).code).toBe(2);
  });

  it("shows an allocation's status by prefix", async () => {
    const r = await run("alloc", "status", allocID.slice(0, 6));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`ID                  = ${allocID}\n`);
    expect(r.out).toContain("Client Status       = running\n");
    expect(r.out).toContain('Task "main" is "running"\nTask Resources:\nCPU');
    expect(r.out).toMatch(/Recent Events:\nTime {18}Type {8}Description\n\S+ {2}Started {5}Task started by client\n/);
    expect((await run("alloc", "status", "zz")).err).toBe('No allocation(s) with prefix or id "zz" found\n');
    expect((await run("alloc", "status", "z")).code).toBe(1);
  });

  it("prints a task's logs: whole, stderr, the tail by lines or bytes", async () => {
    const all = await run("alloc", "logs", allocID.slice(0, 8));
    expect(all.code).toBe(0);
    expect(all.out.split("\n")).toHaveLength(31);
    expect((await run("alloc", "logs", "-stderr", allocID, "main")).out).toBe("oops\n");
    expect((await run("alloc", "logs", "-tail", "-n", "3", allocID)).out).toBe("line 28\nline 29\nline 30\n");
    expect((await run("alloc", "logs", "-tail", allocID)).out.split("\n").slice(0, 2)).toEqual(["line 21", "line 22"]);
    expect((await run("alloc", "logs", "-tail", "-c", "8", allocID)).out).toBe("line 30\n");
    const badTask = await run("alloc", "logs", allocID, "nope");
    expect(badTask.code).toBe(1);
    expect(badTask.err).toBe("Could not find task named: nope, found:\n  * main\n");
    expect((await run("alloc", "logs", "-n", "x", allocID)).code).toBe(2);
  });

  it("drover logs is the short form of drover alloc logs", async () => {
    expect((await run("logs", "-tail", "-n", "2", allocID.slice(0, 8))).out).toBe("line 29\nline 30\n");
    expect((await run("logs", "-stderr", allocID, "main")).out).toBe("oops\n");
    const usage = await run("logs");
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("Usage: drover logs [-stderr] [-f]");
  });

  it("follows a log with -f until the task ends", async () => {
    const layout = new AllocDirLayout(path.join(dataDir, "client"), allocID);
    const io = testIO(process.cwd(), { NOMAD_ADDR: t.address });
    const done = main(["alloc", "logs", "-f", "-tail", "-n", "1", allocID], io);
    await waitFor("the tail", () => io.stdout() === "line 30\n");
    fs.appendFileSync(layout.logFile("main", "stdout", 0), "line 31\n");
    await waitFor("the followed line", () => io.stdout() === "line 30\nline 31\n");
    await api(t.address, "PUT", `/v1/allocation/${allocID}/stop`);
    expect(await done).toBe(0);
    expect(io.stdout()).toBe("line 30\nline 31\n");
  });
});
