/**
 * Helpers for end-to-end tests of drover's runtime: an in-process agent on a
 * free port, and the agent as a child process (for crash tests).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { startAgent, type Agent, type AgentOptions } from "../../lib/runtime/agent";

/** A running test agent. */
export interface TestAgent {
  agent: Agent;
  /** "http://127.0.0.1:PORT". */
  address: string;
  /** Stops the agent. */
  stop(): Promise<void>;
}

/** Starts an in-process agent on 127.0.0.1 and a free port (fast heartbeats and client sync by default). */
export async function startTestAgent(options: AgentOptions = {}): Promise<TestAgent> {
  const agent = await startAgent({ bind: "127.0.0.1", port: 0, syncIntervalMs: 20, ...options });
  return { agent, address: agent.address, stop: () => agent.stop() };
}

/** A child-process agent. */
export interface AgentProcess {
  child: ChildProcess;
  address: string;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the child exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Stops an agent process a test spawned, if it is still running, with `signal`, and waits for it to exit (for `afterAll`). */
export async function stopAgentProcess(proc: AgentProcess | null | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!proc || proc.child.exitCode !== null) return;
  proc.child.kill(signal);
  await proc.exited;
}

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Runs `drover agent <args>` as a child process through tsx and waits (at
 * most `timeoutMs`) for its first line, which carries the address.
 */
export function spawnAgentProcess(args: string[], timeoutMs = 30_000): Promise<AgentProcess> {
  const script = `require(${JSON.stringify(path.join(REPO_ROOT, "lib", "cli", "main.ts"))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script, "agent", ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let out = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`agent did not print its address within ${timeoutMs} ms; output:\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /drover agent: listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, address: m[1], output: () => out, exited });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`agent exited (${code}) before printing its address; output:\n${out}`));
    });
  });
}

/** Polls `fn` every `everyMs` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A tiny JSON HTTP client for tests: returns status, headers and the parsed (or text) body. */
export async function api(
  address: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const res = await fetch(address + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("application/json")) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A one-task job (group "g", task "main") for a real driver (raw_exec unless `driver` says otherwise), failing without restarts unless `restart` is given, never rescheduled. */
export function rawExecJob(
  id: string,
  type: string,
  config: Record<string, unknown>,
  restart?: Record<string, unknown>,
  driver = "raw_exec",
): Record<string, any> {
  return {
    ID: id,
    Name: id,
    Type: type,
    Datacenters: ["dc1"],
    TaskGroups: [
      {
        Name: "g",
        Count: 1,
        RestartPolicy: restart ?? { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: "fail" },
        ReschedulePolicy: { Attempts: 0, Unlimited: false },
        Tasks: [{ Name: "main", Driver: driver, Config: config, KillTimeout: 2e9, Resources: { CPU: 20, MemoryMB: 32 } }],
      },
    ],
  };
}

/** A minimal service/batch job using the mock driver. */
export function mockJob(
  id: string,
  overrides: {
    type?: string;
    count?: number;
    runFor?: string;
    cpu?: number;
    memoryMB?: number;
    meta?: Record<string, string>;
    config?: Record<string, unknown>;
    group?: string;
  } = {},
): Record<string, unknown> {
  return {
    ID: id,
    Name: id,
    Type: overrides.type ?? "service",
    Datacenters: ["dc1"],
    Meta: overrides.meta,
    TaskGroups: [
      {
        Name: overrides.group ?? "web",
        Count: overrides.count ?? 1,
        RestartPolicy: { Attempts: 0, Interval: 60_000_000_000, Delay: 1_000_000_000, Mode: "fail" },
        ...(overrides.type === undefined || overrides.type === "service"
          ? {
              Update: {
                MaxParallel: 2,
                HealthCheck: "task_states",
                MinHealthyTime: 20_000_000,
                HealthyDeadline: 60_000_000_000,
                ProgressDeadline: 120_000_000_000,
              },
            }
          : {}),
        Tasks: [
          {
            Name: "main",
            Driver: "mock_driver",
            Config: { run_for: overrides.runFor ?? "1h", ...(overrides.config ?? {}) },
            Resources: { CPU: overrides.cpu ?? 100, MemoryMB: overrides.memoryMB ?? 64 },
          },
        ],
      },
    ],
  };
}

/** The fields of a job's allocation list (`/v1/job/:id/allocations`) the node and drain tests read. */
export interface JobAllocStub {
  ID: string;
  NodeID: string;
  Name: string;
  ClientStatus: string;
  DesiredStatus: string;
  DesiredDescription: string;
  CreateIndex: number;
  CreateTime: number;
  PreviousAllocation: string;
}

/** A job's allocations, as `/v1/job/:id/allocations` lists them. */
export async function allocs(t: TestAgent, job: string): Promise<JobAllocStub[]> {
  return (await api(t.address, "GET", `/v1/job/${job}/allocations`)).body as JobAllocStub[];
}

/** The allocations of a list that are desired and reported running. */
export function running(list: JobAllocStub[]): JobAllocStub[] {
  return list.filter((a) => a.DesiredStatus === "run" && a.ClientStatus === "running");
}
