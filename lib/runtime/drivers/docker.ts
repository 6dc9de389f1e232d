/**
 * The `docker` driver: containers through the Docker Engine API over its
 * unix socket, with undici (`DOCKER_HOST=unix:///...`, else
 * `/var/run/docker.sock`, or the configured `endpoint`). Podman's API
 * service answers the same calls.
 *
 * Task config keys (Nomad's docker driver names): `image` (required),
 * `command`, `args`, `entrypoint`, `work_dir`, `hostname`, `labels`,
 * `volumes` (`"host:container[:ro]"`, host paths relative to the task
 * directory and inside it unless the plugin's `volumes.enabled` is set), `ports` (port labels of the group's network: each maps the
 * allocation's host port to the label's `to` port, or the same port),
 * `network_mode`, `force_pull`.
 *
 * - Pull policy: the image is pulled only when missing (or always with
 *   `force_pull`); a pull that fails is a recoverable start error.
 * - The container gets the task's environment, the allocation's `alloc/`,
 *   the task's `local/` and `secrets/` mounted at `/alloc`, `/local` and
 *   `/secrets` (Nomad's defaults), Nomad's labels, memory and CPU shares.
 * - Output is followed from `/containers/{id}/logs` into the task's log files.
 * - Stop: the kill signal (default SIGTERM, as Docker), the kill timeout, then
 *   SIGKILL; the container is removed when the task is destroyed.
 * - The handle holds the container ID; after an agent restart a running
 *   container is reattached.
 *
 * Fingerprinted only when the engine answers `GET /_ping`.
 */
import { Agent, request, type Dispatcher } from "undici";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  deferred,
  ExecOutput,
  type ExecTaskResult,
  DriverStartError,
  type Deferred,
  type DriverCapabilities,
  type DriverFingerprint,
  type ExitResult,
  type TaskConfig,
  type TaskDriver,
  type TaskHandle,
  type TaskLogSink,
  type TaskStatus,
} from "./driver";
import { sleep } from "../../util/sleep";

/** Options of the docker driver (`plugin "docker" { config { ... } }`). */
export interface DockerOptions {
  /** Offer the driver when an engine answers (default true). */
  enabled?: boolean;
  /** `unix:///path/to.sock` (default `DOCKER_HOST`, then `unix:///var/run/docker.sock`). */
  endpoint?: string;
  /** Engine API version prefix (default "v1.41"). */
  apiVersion?: string;
  /**
   * Nomad's `volumes { enabled = true }`: lets tasks bind host paths outside
   * their task directory (default false, as Nomad: a `volumes` entry must
   * then stay inside the task directory).
   */
  volumesEnabled?: boolean;
}

interface Container {
  id: string;
  startedAtMs: number;
  exit: Deferred<ExitResult>;
  result?: ExitResult;
  completedAtMs?: number;
  logs?: Dispatcher.ResponseData;
}

/** The socket path of a `unix://` endpoint; throws for other schemes. */
export function dockerSocketPath(endpoint: string): string {
  if (endpoint.startsWith("unix://")) return endpoint.slice("unix://".length);
  if (endpoint.startsWith("/")) return endpoint;
  throw new Error(`docker endpoint ${JSON.stringify(endpoint)}: only unix:// sockets are supported by drover`);
}

/** Splits `name[:tag]` (a registry port is not a tag) into repository and tag (default "latest"). */
export function parseImage(image: string): { repo: string; tag: string } {
  const at = image.indexOf("@");
  if (at >= 0) return { repo: image.slice(0, at), tag: image.slice(at + 1) };
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon > slash) return { repo: image.slice(0, colon), tag: image.slice(colon + 1) };
  return { repo: image, tag: "latest" };
}

/** Splits a Docker multiplexed log stream into frames; returns the bytes not yet complete. */
export function demuxDockerStream(buf: Buffer, emit: (stream: "stdout" | "stderr", data: Buffer) => void): Buffer {
  let off = 0;
  while (buf.length - off >= 8) {
    const type = buf[off];
    const size = buf.readUInt32BE(off + 4);
    if (buf.length - off - 8 < size) break;
    const data = buf.subarray(off + 8, off + 8 + size);
    emit(type === 2 ? "stderr" : "stdout", data);
    off += 8 + size;
  }
  return buf.subarray(off);
}

class EngineError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The docker driver. */
export class DockerDriver implements TaskDriver {
  /** Nomad's plugin name. */
  readonly name = "docker";
  /** Containers get the task dirs mounted; they survive an agent restart. */
  readonly capabilities: DriverCapabilities = { needsTaskDir: true, recover: true, defaultKillSignal: "SIGTERM", mounts: true };
  private readonly socketPath: string;
  private readonly prefix: string;
  private readonly dispatcher: Agent;
  private readonly containers = new Map<string, Container>();

  constructor(private readonly options: DockerOptions = {}) {
    this.socketPath = dockerSocketPath(options.endpoint ?? process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock");
    this.prefix = `/${options.apiVersion ?? "v1.41"}`;
    this.dispatcher = new Agent({ connect: { socketPath: this.socketPath }, keepAliveTimeout: 1000, headersTimeout: 0, bodyTimeout: 0 });
  }

  private async call(
    method: Dispatcher.HttpMethod,
    p: string,
    body?: unknown,
    timeoutMs = 30_000,
  ): Promise<{ status: number; json: unknown; text: string }> {
    const res = await request(`http://docker${p.startsWith("/_ping") ? "" : this.prefix}${p}`, {
      method,
      dispatcher: this.dispatcher,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.statusCode, json, text };
  }

  private async ok(method: Dispatcher.HttpMethod, p: string, body?: unknown, timeoutMs?: number): Promise<unknown> {
    const r = await this.call(method, p, body, timeoutMs);
    if (r.status >= 300 && r.status !== 304) {
      const msg = (r.json as { message?: string } | null)?.message ?? r.text.trim();
      throw new EngineError(r.status, `${method} ${p}: ${r.status} ${msg}`);
    }
    return r.json;
  }

  /** Healthy when the engine answers `/_ping`; reports its version. */
  async fingerprint(): Promise<DriverFingerprint> {
    if (this.options.enabled === false) return { attributes: {}, detected: false, healthy: false, description: "disabled" };
    if (!fs.existsSync(this.socketPath))
      return { attributes: {}, detected: false, healthy: false, description: `no Docker Engine socket at ${this.socketPath}` };
    try {
      const ping = await this.call("GET", "/_ping", undefined, 10_000);
      if (ping.status !== 200)
        return {
          attributes: {},
          detected: false,
          healthy: false,
          description: `Docker Engine at ${this.socketPath} answered ${ping.status}`,
        };
      const version = (await this.call("GET", "/version", undefined, 10_000)).json as { Version?: string } | null;
      return {
        attributes: { "driver.docker": "1", "driver.docker.version": version?.Version ?? "unknown" },
        detected: true,
        healthy: true,
        description: "Healthy",
      };
    } catch (err) {
      return {
        attributes: {},
        detected: false,
        healthy: false,
        description: `Docker Engine at ${this.socketPath} did not answer: ${(err as Error).message}`,
      };
    }
  }

  private async ensureImage(image: string, force: boolean, task: TaskConfig): Promise<void> {
    if (!force) {
      const r = await this.call("GET", `/images/${encodeURIComponent(image)}/json`);
      if (r.status === 200) return;
    }
    task.driverMessage?.(`Downloading image ${image}`);
    const { repo, tag } = parseImage(image);
    try {
      const r = await this.call(
        "POST",
        `/images/create?fromImage=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`,
        undefined,
        300_000,
      );
      const failed = r.status >= 300 || /"error"\s*:/.test(r.text);
      if (failed)
        throw new Error(((r.json as { message?: string } | null)?.message ?? r.text.trim().split("\n").pop()) || `status ${r.status}`);
    } catch (err) {
      throw new DriverStartError(`Failed to pull \`${image}\`: ${(err as Error).message}`, true);
    }
  }

  /** Builds the container create body from the task. */
  createBody(task: TaskConfig): Record<string, unknown> {
    const c = task.config;
    const image = c.image;
    if (typeof image !== "string" || !image) throw new DriverStartError('docker config: "image" must be a non-empty string');
    const strList = (k: string): string[] | undefined => {
      const v = c[k];
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string" && typeof x !== "number"))
        throw new DriverStartError(`docker config: "${k}" must be a list of strings`);
      return v.map(String);
    };
    const cmd: string[] = [];
    if (typeof c.command === "string" && c.command) cmd.push(c.command);
    cmd.push(...(strList("args") ?? []));
    const entrypoint = strList("entrypoint");
    const binds: string[] = [];
    if (task.dirs) binds.push(`${task.dirs.allocDir}:/alloc`, `${task.dirs.localDir}:/local`, `${task.dirs.secretsDir}:/secrets`);
    // Host volumes of the group's volume_mount blocks: bind mounts.
    for (const m of task.mounts ?? []) binds.push(`${m.hostPath}:${m.taskPath}:${m.readOnly ? "ro" : "rw"}`);
    for (const v of strList("volumes") ?? []) {
      const [host, ...rest] = v.split(":");
      if (!host || rest.length === 0)
        throw new DriverStartError(`docker config: volume ${JSON.stringify(v)} must be "host:container[:mode]"`);
      const hostPath = path.isAbsolute(host) || !task.dirs ? host : path.resolve(task.dirs.dir, host);
      // Nomad's docker driver: without volumes enabled, only paths inside the task directory may be bound.
      const inTaskDir = !!task.dirs && (hostPath === task.dirs.dir || hostPath.startsWith(task.dirs.dir + path.sep));
      if (!this.options.volumesEnabled && !inTaskDir)
        throw new DriverStartError(
          `volumes are not enabled; cannot mount host paths: ${JSON.stringify(host)} (the docker plugin's config { volumes { enabled = true } } allows it)`,
        );
      binds.push([hostPath, ...rest].join(":"));
    }
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const label of strList("ports") ?? []) {
      const p = task.ports.find((x) => x.Label === label);
      if (!p) throw new DriverStartError(`docker config: port label ${JSON.stringify(label)} is not a port of the group's network`);
      const to = p.To > 0 ? p.To : p.Value;
      for (const proto of ["tcp", "udp"]) {
        exposed[`${to}/${proto}`] = {};
        bindings[`${to}/${proto}`] = [{ HostIp: p.HostIP || "127.0.0.1", HostPort: String(p.Value) }];
      }
    }
    const labels: Record<string, string> = {
      "com.hashicorp.nomad.alloc_id": task.allocID,
      "com.hashicorp.nomad.job_id": task.jobID,
      "com.hashicorp.nomad.task_group_name": task.groupName,
      "com.hashicorp.nomad.task_name": task.name,
      "com.hashicorp.nomad.namespace": task.namespace,
    };
    if (c.labels !== undefined) {
      if (typeof c.labels !== "object" || c.labels === null || Array.isArray(c.labels))
        throw new DriverStartError('docker config: "labels" must be a map of strings');
      for (const [k, v] of Object.entries(c.labels as Record<string, unknown>)) labels[k] = String(v);
    }
    const body: Record<string, unknown> = {
      Image: image,
      Env: Object.entries(task.env).map(([k, v]) => `${k}=${v}`),
      Labels: labels,
      ExposedPorts: exposed,
      HostConfig: {
        Binds: binds,
        PortBindings: bindings,
        ...(task.resources.memoryMB > 0 ? { Memory: (task.resources.memoryMaxMB || task.resources.memoryMB) * 1024 * 1024 } : {}),
        ...(task.resources.cpuMHz > 0 ? { CpuShares: Math.max(2, task.resources.cpuMHz) } : {}),
        ...(typeof c.network_mode === "string" && c.network_mode ? { NetworkMode: c.network_mode } : {}),
      },
    };
    if (cmd.length > 0) body.Cmd = cmd;
    if (entrypoint) body.Entrypoint = entrypoint;
    if (typeof c.work_dir === "string" && c.work_dir) body.WorkingDir = c.work_dir;
    if (typeof c.hostname === "string" && c.hostname) body.Hostname = c.hostname;
    return body;
  }

  /** Pulls if needed, creates and starts the container, and follows its output. */
  async start(task: TaskConfig): Promise<TaskHandle> {
    const body = this.createBody(task);
    const image = body.Image as string;
    await this.ensureImage(image, task.config.force_pull === true, task);
    const name = `${task.name}-${task.allocID}`;
    // A container left from an earlier run of this task (same name) goes first.
    await this.call("DELETE", `/containers/${encodeURIComponent(name)}?force=1&v=1`).catch(() => undefined);
    let id: string;
    try {
      const created = (await this.ok("POST", `/containers/create?name=${encodeURIComponent(name)}`, body)) as { Id: string };
      id = created.Id;
      await this.ok("POST", `/containers/${id}/start`);
    } catch (err) {
      throw new DriverStartError(
        `failed to create or start container: ${(err as Error).message}`,
        err instanceof EngineError && err.status >= 500,
      );
    }
    const c: Container = { id, startedAtMs: Date.now(), exit: deferred() };
    this.containers.set(task.id, c);
    this.follow(c, task.logs, 0);
    return { version: 1, driver: this.name, taskID: task.id, startedAtMs: c.startedAtMs, state: { containerID: id } };
  }

  /** Streams the container's output to the log sink and waits for its exit. */
  private follow(c: Container, logs: TaskLogSink, sinceSec: number): void {
    void (async () => {
      try {
        const res = await request(
          `http://docker${this.prefix}/containers/${c.id}/logs?follow=1&stdout=1&stderr=1${sinceSec ? `&since=${sinceSec}` : ""}`,
          { method: "GET", dispatcher: this.dispatcher, headersTimeout: 30_000, bodyTimeout: 0 },
        );
        c.logs = res;
        let pending: Buffer = Buffer.alloc(0);
        let raw: boolean | null = null;
        for await (const chunk of res.body) {
          let buf: Buffer = Buffer.concat([pending, chunk as Buffer]);
          if (raw === null && buf.length >= 4) raw = !(buf[0] <= 2 && buf[1] === 0 && buf[2] === 0 && buf[3] === 0);
          if (raw) {
            logs.write("stdout", buf);
            buf = Buffer.alloc(0);
          } else if (raw === false) buf = demuxDockerStream(buf, (s, d) => logs.write(s, d));
          pending = buf;
        }
      } catch {
        // the log stream ended with the container (or the driver closed)
      }
    })();
    void (async () => {
      let result: ExitResult;
      try {
        const r = (await this.ok("POST", `/containers/${c.id}/wait`, undefined, 0)) as {
          StatusCode?: number;
          Error?: { Message?: string } | null;
        };
        let oom = false;
        try {
          const info = (await this.ok("GET", `/containers/${c.id}/json`)) as { State?: { OOMKilled?: boolean } };
          oom = info.State?.OOMKilled === true;
        } catch {
          // removed already
        }
        result = { exitCode: r.StatusCode ?? 0, signal: 0, oomKilled: oom };
        if (r.Error?.Message) result.err = r.Error.Message;
        if (oom) result.err = "OOM Killed";
      } catch (err) {
        result = { exitCode: 0, signal: 0, err: `container wait failed: ${(err as Error).message}` };
      }
      if (c.result) return;
      c.result = result;
      c.completedAtMs = Date.now();
      c.exit.resolve(result);
    })();
  }

  /** Resolves at the container's exit. */
  wait(taskID: string): Promise<ExitResult> {
    const c = this.containers.get(taskID);
    if (!c) return Promise.reject(new Error(`docker: unknown task ${taskID}`));
    return c.exit.promise;
  }

  /** Kill signal, kill timeout, then SIGKILL. */
  async stop(taskID: string, timeoutMs: number, signal: string): Promise<void> {
    const c = this.containers.get(taskID);
    if (!c || c.result) return;
    await this.call("POST", `/containers/${c.id}/kill?signal=${encodeURIComponent(signal || "SIGTERM")}`).catch(() => undefined);
    const timedOut = await Promise.race([c.exit.promise.then(() => false), sleep(Math.max(0, timeoutMs)).then(() => true)]);
    if (timedOut) {
      await this.call("POST", `/containers/${c.id}/kill?signal=SIGKILL`).catch(() => undefined);
      await Promise.race([c.exit.promise, sleep(10_000)]);
    }
  }

  /** Sends a signal to the container. */
  async signal(taskID: string, signal: string): Promise<void> {
    const c = this.containers.get(taskID);
    if (!c || c.result) throw new Error(`docker: task ${taskID} is not running`);
    await this.ok("POST", `/containers/${c.id}/kill?signal=${encodeURIComponent(signal)}`);
  }

  /**
   * Runs a command in the container through the Engine's exec API (create,
   * start attached, then inspect for the exit code), as Nomad's docker
   * driver does. The Engine cannot kill an exec'd process: when `timeoutMs`
   * runs out the call fails, saying so.
   */
  async exec(taskID: string, command: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    const c = this.containers.get(taskID);
    if (!c || c.result) throw new Error("task not found for given id");
    if (command.length === 0) throw new Error("cmd is required, but was empty");
    const created = (await this.ok("POST", `/containers/${c.id}/exec`, {
      Cmd: command,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    })) as { Id?: string } | null;
    const id = created?.Id;
    if (!id) throw new Error("docker: the Engine created the exec without an ID");
    const output = new ExecOutput();
    const deadline = Date.now() + Math.max(0, timeoutMs);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(0, timeoutMs));
    try {
      const res = await request(`http://docker${this.prefix}/exec/${id}/start`, {
        method: "POST",
        dispatcher: this.dispatcher,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ Detach: false, Tty: false }),
        signal: controller.signal,
      });
      if (res.statusCode >= 300) {
        const text = await res.body.text();
        throw new Error(`POST /exec/${id}/start: ${res.statusCode} ${text.trim()}`);
      }
      let rest: Buffer = Buffer.alloc(0);
      for await (const chunk of res.body) rest = demuxDockerStream(Buffer.concat([rest, chunk as Buffer]), (_s, data) => output.push(data));
    } catch (err) {
      if (controller.signal.aborted) throw new Error(`docker: the command did not finish within ${Math.round(timeoutMs)}ms`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    // The Engine may report the exec as running for a moment after its output ended: ask again until it has an exit code.
    for (;;) {
      const info = (await this.ok("GET", `/exec/${id}/json`)) as { Running?: boolean; ExitCode?: number | null } | null;
      if (info?.Running !== true && typeof info?.ExitCode === "number") return { exitCode: info.ExitCode, output: output.bytes() };
      if (Date.now() >= deadline) throw new Error(`docker: the command did not finish within ${Math.round(timeoutMs)}ms`);
      await sleep(25);
    }
  }

  /** The container's state as known. */
  inspect(taskID: string): TaskStatus | undefined {
    const c = this.containers.get(taskID);
    if (!c) return undefined;
    return {
      id: taskID,
      state: c.result ? "exited" : "running",
      startedAtMs: c.startedAtMs,
      completedAtMs: c.completedAtMs,
      exitResult: c.result,
      details: { container_id: c.id },
    };
  }

  /** Removes the container (killing it first with `force`). */
  async destroy(taskID: string, force: boolean): Promise<void> {
    const c = this.containers.get(taskID);
    if (!c) return;
    if (!c.result && !force) return;
    this.containers.delete(taskID);
    await this.call("DELETE", `/containers/${c.id}?force=1&v=1`).catch(() => undefined);
  }

  /** Reattaches to a running container from its ID. */
  async recover(handle: TaskHandle, task: TaskConfig): Promise<void> {
    if (this.containers.has(handle.taskID)) return;
    const id = String(handle.state.containerID ?? "");
    if (!id) throw new Error("docker: the saved handle has no container ID");
    const info = (await this.ok("GET", `/containers/${id}/json`)) as { State?: { Running?: boolean } };
    if (!info.State?.Running) throw new Error(`container ${id.slice(0, 12)} is not running`);
    const c: Container = { id, startedAtMs: handle.startedAtMs, exit: deferred() };
    this.containers.set(handle.taskID, c);
    this.follow(c, task.logs, Math.floor(Date.now() / 1000));
  }

  /** Closes the connections to the engine. */
  async close(): Promise<void> {
    for (const c of this.containers.values()) c.logs?.body.destroy();
    await this.dispatcher.destroy().catch(() => undefined);
  }
}
