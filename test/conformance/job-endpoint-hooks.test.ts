/**
 * nomad/job_endpoint_hooks_test.go and nomad/job_endpoint_hook_*.go: the
 * admission validators registration runs, over HTTP against the included
 * runtime (simulated nodes, no client tasks). Refusals come back as Nomad's
 * RPC errors do: HTTP 500 with a multierror body; nothing is stored.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { nomad } from "./helpers";

const NOMAD_FILE = "nomad/job_endpoint_hooks_test.go";

/** A service job in the given pool. */
function inPool(id: string, pool?: string): Record<string, unknown> {
  return { ...mockJob(id, { type: "service", count: 1 }), ...(pool === undefined ? {} : { NodePool: pool }) };
}

/** One agent for the file: a node in the default pool and one in pool "gpu" (simulated, no client tasks). */
let t: TestAgent;
beforeAll(async () => {
  // drover's own per-group bound (limits.max_group_count, 10,000 by default) is raised so that Nomad's job_max_count is what answers.
  t = await startTestAgent({
    client: false,
    limits: { maxGroupCount: 100_000 },
    simPools: [
      { count: 1, name: "gpu", node_pool: "gpu" },
      { count: 1, name: "plain" },
    ],
  });
});
afterAll(async () => {
  await t.stop();
});

describe(`${NOMAD_FILE} (HTTP)`, () => {
  it(
    nomad(
      "nomad/job_endpoint_hook_node_pool.go: jobNodePoolValidatingHook.Validate",
      "register: a job in a pool no node is in and no one created is refused, and nothing is stored",
    ),
    async () => {
      const r = await api(t.address, "PUT", "/v1/jobs", { Job: inPool("nopool", "nosuch") });
      expect(r.status).toBe(500);
      expect(r.text).toBe('1 error occurred:\n\t* job "nopool" is in nonexistent node pool "nosuch"\n\n');
      expect((await api(t.address, "GET", "/v1/job/nopool")).status).toBe(404);
      expect((await api(t.address, "GET", "/v1/evaluations")).body.filter((e: { JobID: string }) => e.JobID === "nopool")).toEqual([]);
    },
  );

  it(nomad("nomad/job_endpoint_hook_node_pool.go: jobNodePoolValidatingHook.Validate", "plan: the same refusal"), async () => {
    const r = await api(t.address, "PUT", "/v1/job/nopool/plan", { Job: inPool("nopool", "nosuch") });
    expect(r.status).toBe(500);
    expect(r.text).toContain('job "nopool" is in nonexistent node pool "nosuch"');
  });

  it(nomad("nomad/job_endpoint_hook_node_pool.go: jobNodePoolValidatingHook.Validate", "a pool a node registered in exists"), async () => {
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: inPool("gpujob", "gpu") });
    expect(r.status).toBe(200);
    expect(r.body.EvalID).not.toBe("");
  });

  it(
    nomad(
      "nomad/job_endpoint_hook_node_pool.go: jobNodePoolValidatingHook.Validate",
      'the built-in pools "all" and "default" always exist',
    ),
    async () => {
      expect((await api(t.address, "PUT", "/v1/jobs", { Job: inPool("alljob", "all") })).status).toBe(200);
      expect((await api(t.address, "PUT", "/v1/jobs", { Job: inPool("defaultjob") })).status).toBe(200);
    },
  );

  /** A periodic (never evaluated at registration) job asking `count` allocations. */
  const periodic = (id: string, count: number) => ({
    ...mockJob(id, { type: "batch", count }),
    Periodic: { Enabled: true, SpecType: "cron", Spec: "0 0 1 1 *", ProhibitOverlap: false, TimeZone: "UTC" },
  });

  it(nomad("Test_jobValidate_Validate", "a total count above job_max_count (50000 by default) is refused"), async () => {
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: periodic("toomany", 50_001) });
    expect(r.status).toBe(500);
    expect(r.text).toContain("total count was greater than configured job_max_count: 50001 > 50000");
    expect((await api(t.address, "GET", "/v1/job/toomany")).status).toBe(404);
  });

  it(nomad("Test_jobValidate_Validate", "a total count equal to job_max_count is accepted"), async () => {
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: periodic("justenough", 50_000) });
    expect(r.status).toBe(200);
  });
});

describe(`${NOMAD_FILE} (HTTP): canonicalization`, () => {
  it(nomad("Test_jobCanonicalizer_Mutate", "priority 0 becomes the server's default priority (50)"), async () => {
    const job = { ...mockJob("nopriority", { type: "service", count: 1 }), Priority: 0 };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    expect((await api(t.address, "GET", "/v1/job/nopriority")).body.Priority).toBe(50);
  });

  it(nomad("Test_jobCanonicalizer_Mutate", "a job with a priority keeps it"), async () => {
    const job = { ...mockJob("withpriority", { type: "service", count: 1 }), Priority: 100 };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    expect((await api(t.address, "GET", "/v1/job/withpriority")).body.Priority).toBe(100);
  });
});

describe(`${NOMAD_FILE} (HTTP): implied constraints`, () => {
  type Job = Record<string, any>;
  const groupConstraints = async (id: string) =>
    ((await api(t.address, "GET", `/v1/job/${id}`)).body.TaskGroups[0].Constraints ?? []) as {
      LTarget: string;
      RTarget: string;
      Operand: string;
    }[];
  const placed = (id: string) =>
    waitFor(
      `an allocation of ${id}`,
      async () => ((await api(t.address, "GET", `/v1/job/${id}/allocations`)).body as unknown[]).length > 0,
      5000,
    );

  it(
    nomad(
      "Test_jobImpliedConstraints_Mutate",
      "a kill signal and a template's change signal imply ${attr.os.signals} set_contains, sorted; the job still places",
    ),
    async () => {
      const job = mockJob("signals") as Job;
      job.TaskGroups[0].Tasks[0].KillSignal = "SIGINT";
      job.TaskGroups[0].Tasks[0].Templates = [{ EmbeddedTmpl: "x", DestPath: "local/x", ChangeMode: "signal", ChangeSignal: "SIGHUP" }];
      expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
      expect(await groupConstraints("signals")).toEqual([
        { LTarget: "${attr.os.signals}", RTarget: "SIGHUP,SIGINT", Operand: "set_contains" },
      ]);
      await placed("signals");
    },
  );

  it(
    nomad("Test_jobImpliedConstraints_Mutate", "a Nomad service with a check implies service discovery and nomad.version >= 1.4.0"),
    async () => {
      const job = mockJob("nomadsvc") as Job;
      job.TaskGroups[0].Services = [
        { Name: "web", Provider: "nomad", Checks: [{ Name: "alive", Type: "tcp", PortLabel: "", Interval: 10e9, Timeout: 2e9 }] },
      ];
      const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
      expect(r.status).toBe(200);
      expect(await groupConstraints("nomadsvc")).toEqual([
        { LTarget: "${attr.nomad.service_discovery}", RTarget: "true", Operand: "=" },
        { LTarget: "${attr.nomad.version}", RTarget: ">= 1.4.0", Operand: "semver" },
      ]);
    },
  );

  it(
    nomad(
      "Test_jobImpliedConstraints_Mutate",
      "an implied constraint the job already states is not added twice, and re-registering changes nothing",
    ),
    async () => {
      const job = mockJob("stated") as Job;
      job.TaskGroups[0].Tasks[0].KillSignal = "SIGINT";
      job.TaskGroups[0].Constraints = [{ LTarget: "${attr.os.signals}", RTarget: "SIGINT", Operand: "set_contains" }];
      const first = await api(t.address, "PUT", "/v1/jobs", { Job: job });
      expect(await groupConstraints("stated")).toEqual([{ LTarget: "${attr.os.signals}", RTarget: "SIGINT", Operand: "set_contains" }]);
      const again = await api(t.address, "PUT", "/v1/jobs", { Job: job });
      expect(again.body.JobModifyIndex).toBe(first.body.JobModifyIndex);
    },
  );

  it(nomad("Test_jobImpliedConstraints_Mutate", "a job needing none gets none"), async () => {
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("plain") })).status).toBe(200);
    expect(await groupConstraints("plain")).toEqual([]);
  });
});

describe("/v1/job/:id/plan annotations (HTTP)", () => {
  it(
    nomad(
      "scheduler/reconciler/reconcile_cluster_test.go: TestReconciler_NewCanaries",
      "planning a destructive change with canary 1 of 3 annotates {Canary: 1, Ignore: 3}, no placement",
    ),
    async () => {
      const job = mockJob("canaryplan", { count: 3 }) as Record<string, any>;
      job.TaskGroups[0].Update = { ...job.TaskGroups[0].Update, Canary: 1, MaxParallel: 1 };
      expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
      await waitFor(
        "three allocations",
        async () => ((await api(t.address, "GET", "/v1/job/canaryplan/allocations")).body as unknown[]).length === 3,
        5000,
      );
      job.TaskGroups[0].Tasks[0].Env = { CHANGED: "yes" };
      const r = await api(t.address, "PUT", "/v1/job/canaryplan/plan", { Job: job, Diff: false });
      expect(r.status).toBe(200);
      const d = r.body.Annotations.DesiredTGUpdates.web as Record<string, number>;
      expect(Object.fromEntries(Object.entries(d).filter(([, v]) => v !== 0))).toEqual({ Canary: 1, Ignore: 3 });
    },
  );
});
