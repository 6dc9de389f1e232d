/**
 * The deep dive's `monitor_canary_and_promote`, in TypeScript: find the job's
 * running deployment, watch its canary allocations' health with blocking
 * queries (no fixed sleeps), promote once every canary has stayed healthy for
 * a stable window, and fail the deployment (so that `auto_revert` rolls back)
 * as soon as a canary turns unhealthy.
 *
 *   drover agent --dev &
 *   npx tsx examples/canary-promotion/main.ts --register web-canary
 *
 * `--register` first registers a demo job (mock_driver, three allocations, an
 * update block with one canary, auto_promote false, auto_revert true), waits
 * for its first deployment, then registers a second version so that a canary
 * deployment starts; `--register-broken` makes that canary fail to start, to
 * see the failure path. Without them, point it at any job whose deployment
 * waits for a manual promotion. The address comes from NOMAD_ADDR (default
 * http://127.0.0.1:4646). Exit code 0 promoted, 1 not promoted, 2 usage.
 */
import { NomadClient, watch } from "../../lib/api";
import type { AllocationListStub, Deployment } from "../../lib/api";
import { parseGoDuration } from "../../lib/jobspec";
import { canaryStatus } from "../../lib/plan";

/** Options of `monitorCanaryAndPromote`. */
export interface CanaryMonitorOptions {
  /** The job whose deployment to watch. */
  jobId: string;
  /**
   * Watch the deployment of this job version (whatever its status). Default:
   * the newest running deployment, as the seed picks it; but a deployment
   * that already failed and auto-reverted leaves the revert's deployment
   * running, so name the version when you know it.
   */
  jobVersion?: number;
  /** How long every canary must stay healthy before promotion, ms. Default 30000 (the seed's two checks 15 s apart). */
  stableForMs?: number;
  /** Longest wait for a running deployment to appear, ms. Default 50000 (the seed's 10 × 5 s). */
  findTimeoutMs?: number;
  /** Longest wait for the canaries to become healthy and stay so, ms. Default 300000 (the seed's 20 × 15 s). */
  timeoutMs?: number;
  /** Longest single blocking query, ms. Default 15000. */
  waitMs?: number;
  /** Fail the deployment when a canary is unhealthy. Default true. */
  failOnUnhealthy?: boolean;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
  /** Aborts the watch. */
  signal?: AbortSignal;
}

/** What `monitorCanaryAndPromote` did, in the seed's shape. */
export interface CanaryMonitorResult {
  /** True when the canaries were promoted. */
  success: boolean;
  /** The deployment watched, when one was found. */
  deploymentId?: string;
  /** "promoted", or "failed" when this program failed the deployment because a canary was unhealthy. */
  action?: "promoted" | "failed";
  /** The deployment's status when it ended without us (e.g. "failed", "cancelled", "successful"). */
  status?: string;
  /** The job version auto-revert went back to, after `action: "failed"`. */
  revertedJobVersion?: number | null;
  /** Why it did not promote, for people. */
  reason?: string;
}

/**
 * Waits (blocking queries on the job's deployments) for the deployment of
 * `jobVersion`, or without it for a running one; null when none appears in time.
 */
export async function findDeployment(
  client: NomadClient,
  jobId: string,
  opts: { jobVersion?: number; timeoutMs: number; signal?: AbortSignal },
): Promise<Deployment | null> {
  const pick = (list: Deployment[] | null) =>
    (list ?? [])
      .filter((d) => (opts.jobVersion === undefined ? d.Status === "running" : d.JobVersion === opts.jobVersion))
      .sort((a, b) => b.CreateIndex - a.CreateIndex)[0];
  try {
    const res = await watch((q) => client.jobs.deployments(jobId, q), {
      until: (list) => pick(list) !== undefined,
      timeoutMs: opts.timeoutMs,
      wait: Math.min(opts.timeoutMs, 15_000),
      signal: opts.signal,
    });
    return pick(res.data) ?? null;
  } catch (err) {
    if ((err as Error).name === "WatchTimeoutError") return null;
    throw err;
  }
}

/**
 * Watches the canaries of the job's running deployment and promotes them
 * once all have been healthy for `stableForMs`; fails the deployment when one
 * is unhealthy. Every wait is a blocking query on the deployment's
 * allocations, bounded by the options' timeouts.
 */
export async function monitorCanaryAndPromote(client: NomadClient, opts: CanaryMonitorOptions): Promise<CanaryMonitorResult> {
  const log = opts.log ?? (() => {});
  const stableForMs = opts.stableForMs ?? 30_000;
  const waitMs = opts.waitMs ?? 15_000;
  const deployment = await findDeployment(client, opts.jobId, {
    jobVersion: opts.jobVersion,
    timeoutMs: opts.findTimeoutMs ?? 50_000,
    signal: opts.signal,
  });
  if (!deployment)
    return {
      success: false,
      reason: opts.jobVersion === undefined ? "No active deployment found" : `No deployment of job version ${opts.jobVersion} found`,
    };
  const id = deployment.ID;
  log(`watching deployment ${id.slice(0, 8)} of ${opts.jobId} (job version ${deployment.JobVersion})`);

  const end = Date.now() + (opts.timeoutMs ?? 300_000);
  let index = 0;
  let healthySince: number | null = null;
  let lastLine = "";
  while (Date.now() < end) {
    // Block until an allocation of the deployment changes, or until the stable window would be over.
    const left = end - Date.now();
    const wait =
      healthySince === null ? Math.min(waitMs, left) : Math.max(1, Math.min(waitMs, left, healthySince + stableForMs - Date.now()));
    const allocs = await client.deployments.allocations(id, { index, wait, signal: opts.signal });
    index = allocs.meta.index;
    const d = (await client.deployments.info(id, { signal: opts.signal })).data;
    if (d.Status !== "running") {
      return { success: false, deploymentId: id, status: d.Status, reason: `deployment ${d.Status}: ${d.StatusDescription}` };
    }
    const status = canaryStatus(d, allocs.data ?? []);
    if (!status.groups.length) return { success: false, deploymentId: id, status: d.Status, reason: "the deployment has no canaries" };
    const line = status.groups
      .map(
        (g) =>
          `${g.group}: ${g.healthy}/${g.desired} canaries healthy${g.unhealthy ? `, ${g.unhealthy} unhealthy` : ""}${g.promoted ? " (promoted)" : ""}`,
      )
      .join("; ");
    if (line !== lastLine) log((lastLine = line));

    const unhealthy = unhealthyCanaries(d, allocs.data ?? []);
    if (unhealthy.length) {
      if (opts.failOnUnhealthy === false)
        return {
          success: false,
          deploymentId: id,
          status: d.Status,
          reason: `unhealthy canaries: ${unhealthy.map((a) => a.Name).join(", ")}`,
        };
      const failed = await client.deployments.fail(id);
      const reverted = failed.data.RevertedJobVersion ?? null;
      log(
        `failed deployment ${id.slice(0, 8)}: canary ${unhealthy.map((a) => a.Name).join(", ")} unhealthy${reverted !== null ? `; auto-revert to job version ${reverted}` : ""}`,
      );
      return {
        success: false,
        deploymentId: id,
        action: "failed",
        revertedJobVersion: reverted,
        reason: `unhealthy canaries: ${unhealthy.map((a) => a.Name).join(", ")}`,
      };
    }
    if (status.phase === "awaiting-promotion" || status.phase === "auto-promoting") {
      healthySince ??= Date.now();
      if (Date.now() - healthySince >= stableForMs) {
        await client.deployments.promoteAll(id);
        log(`promoted deployment ${id.slice(0, 8)} after ${Math.round((Date.now() - healthySince) / 1000)}s of healthy canaries`);
        return { success: true, deploymentId: id, action: "promoted" };
      }
    } else {
      healthySince = null;
    }
  }
  return { success: false, deploymentId: id, reason: "Canary did not stabilize in time" };
}

/** The deployment's canary allocations that are unhealthy (deployment health false, or failed/lost on the client). */
export function unhealthyCanaries(d: Deployment, allocs: AllocationListStub[]): AllocationListStub[] {
  const canaries = new Set(Object.values(d.TaskGroups ?? {}).flatMap((s) => s.PlacedCanaries ?? []));
  return allocs.filter(
    (a) => canaries.has(a.ID) && (a.DeploymentStatus?.Healthy === false || a.ClientStatus === "failed" || a.ClientStatus === "lost"),
  );
}

/**
 * The demo job of `--register`: mock_driver tasks, three allocations, one
 * canary that waits for promotion, auto_revert. `version` changes the task's
 * environment (a destructive update, so a new version places a canary);
 * `broken` makes the task fail to start.
 */
export function demoJob(jobId: string, version: number, broken = false): Record<string, unknown> {
  return {
    ID: jobId,
    Name: jobId,
    Type: "service",
    Datacenters: ["dc1"],
    TaskGroups: [
      {
        Name: "web",
        Count: 3,
        RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: "fail" },
        Update: {
          MaxParallel: 1,
          Canary: 1,
          AutoPromote: false,
          AutoRevert: true,
          HealthCheck: "task_states",
          MinHealthyTime: 200e6,
          HealthyDeadline: 60e9,
          ProgressDeadline: 120e9,
        },
        Tasks: [
          {
            Name: "server",
            Driver: "mock_driver",
            Config: broken ? { run_for: "24h", start_error: "demo: the new version fails to start" } : { run_for: "24h" },
            Env: { RELEASE: `v${version}` },
            Resources: { CPU: 100, MemoryMB: 64 },
          },
        ],
      },
    ],
  };
}

/**
 * Registers the demo job's first version, waits for its deployment, then
 * registers the next version: a canary deployment starts. Resolves to the job
 * version of that registration.
 */
export async function registerDemo(
  client: NomadClient,
  jobId: string,
  opts: { broken?: boolean; timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<number> {
  const log = opts.log ?? (() => {});
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const existing = await client.jobs.info(jobId).then(
    (r) => r.data,
    () => null,
  );
  if (!existing) {
    const first = await client.jobs.register(demoJob(jobId, 1) as never);
    log(`registered ${jobId} version 0 (evaluation ${first.data.EvalID.slice(0, 8)}); waiting for its deployment`);
    await watch((q) => client.jobs.latestDeployment(jobId, q), { until: (d) => d?.Status === "successful", timeoutMs, wait: 15_000 });
  }
  const version = (existing?.Version ?? 0) + 2;
  const next = await client.jobs.register(demoJob(jobId, version, opts.broken) as never);
  const versions = (await client.jobs.versions(jobId)).data.Versions;
  const registered = versions.find((v) => v.JobModifyIndex === next.data.JobModifyIndex)?.Version ?? versions[0].Version;
  log(
    `registered ${jobId} version ${registered}, release v${version}${opts.broken ? " (broken)" : ""} (evaluation ${next.data.EvalID.slice(0, 8)}): a canary deployment starts`,
  );
  return registered;
}

/** The command line. Returns the exit code. */
export async function main(argv: string[], client: NomadClient = NomadClient.fromEnv()): Promise<number> {
  const positional = argv.filter((a, i) => !a.startsWith("--") && !["--stable", "--timeout"].includes(argv[i - 1]));
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (positional.length !== 1) {
    process.stderr.write("usage: main.ts [--register | --register-broken] [--stable 30s] [--timeout 5m] JOB\n");
    return 2;
  }
  const [jobId] = positional;
  try {
    const stableForMs = parseGoDuration(flag("--stable") ?? "30s") / 1e6;
    const timeoutMs = parseGoDuration(flag("--timeout") ?? "5m") / 1e6;
    const log = (line: string) => console.log(line);
    let jobVersion: number | undefined;
    if (argv.includes("--register") || argv.includes("--register-broken"))
      jobVersion = await registerDemo(client, jobId, { broken: argv.includes("--register-broken"), log });
    const result = await monitorCanaryAndPromote(client, { jobId, jobVersion, stableForMs, timeoutMs, log });
    console.log(JSON.stringify(result));
    return result.success ? 0 : 1;
  } catch (err) {
    process.stderr.write(`canary-promotion: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
