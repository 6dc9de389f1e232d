/**
 * The check runner of Nomad's built-in service discovery
 * (`client/serviceregistration/checks`): http and tcp checks of
 * `provider = "nomad"` services, each on its own interval with its timeout,
 * results kept per allocation in Nomad's `CheckQueryResult` shape. Bounded:
 * at most `maxInFlight` checks run at once (a check whose turn comes while
 * the limit is reached waits for its next interval), outputs are cut at 3 KiB.
 */
import { createHash } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import type { CheckQueryResult } from "../../api/types/client";

/** One check to run. */
export interface CheckTarget {
  /** Check ID. */
  id: string;
  /** Task group. */
  group: string;
  /** Task ("" for group services). */
  task: string;
  /** Service name. */
  service: string;
  /** Check name. */
  name: string;
  /** "http" or "tcp" (others are reported as failures saying they are unsupported). */
  type: string;
  /** Healthiness or readiness. */
  mode: CheckQueryResult["Mode"];
  /** Interval, ms. */
  intervalMs: number;
  /** Timeout, ms. */
  timeoutMs: number;
  /** Host to dial. */
  address: string;
  /** Port to dial. */
  port: number;
  /** HTTP path (http). */
  path: string;
  /** HTTP method (http, default GET). */
  method: string;
  /** "http" or "https". */
  protocol: string;
  /** Request headers (http). */
  headers: Record<string, string[]>;
  /** Request body (http). */
  body: string;
  /** Skip TLS verification (https). */
  tlsSkipVerify: boolean;
}

/** Largest kept check output (Nomad's `outputSizeLimit`, 3 KiB). */
export const CHECK_OUTPUT_LIMIT = 3 * 1024;
/** Shortest interval the runner honours, ms (Nomad requires at least 1 s). */
export const MIN_CHECK_INTERVAL_MS = 1000;

/** A stable check ID from the check's identity (the fields Nomad's `NomadCheckID` hashes). */
export function nomadCheckID(allocID: string, group: string, fields: readonly (string | number | boolean)[]): string {
  const h = createHash("sha256");
  for (const f of [allocID, group, ...fields]) {
    const s = String(f);
    h.update(String(s.length));
    h.update(":");
    h.update(s);
  }
  return h.digest("hex");
}

/** Options of the check runner. */
export interface CheckRunnerOptions {
  /** Checks running at once at most (default 64). */
  maxInFlight?: number;
  /** Lowest interval, ms (default 1000; tests may lower it). */
  minIntervalMs?: number;
  /** Unix seconds now (tests inject). */
  nowSeconds?: () => number;
  /** Called whenever a result changes status. */
  onChange?: (allocID: string) => void;
}

interface Running {
  target: CheckTarget;
  timer: NodeJS.Timeout | null;
  result: CheckQueryResult;
  busy: boolean;
}

/** Runs checks of allocations and keeps their latest results. */
export class CheckRunner {
  private readonly byAlloc = new Map<string, Map<string, Running>>();
  private inFlight = 0;
  private stopped = false;
  private readonly maxInFlight: number;
  private readonly minIntervalMs: number;
  private readonly nowSeconds: () => number;
  private readonly onChange: (allocID: string) => void;

  constructor(options: CheckRunnerOptions = {}) {
    this.maxInFlight = options.maxInFlight ?? 64;
    this.minIntervalMs = options.minIntervalMs ?? MIN_CHECK_INTERVAL_MS;
    this.nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
    this.onChange = options.onChange ?? (() => {});
  }

  /** Number of allocations with checks. */
  get allocCount(): number {
    return this.byAlloc.size;
  }

  /** Sets the checks of an allocation: new ones start (first run at once), missing ones stop, unchanged ones keep their results. */
  setChecks(allocID: string, targets: readonly CheckTarget[]): void {
    if (this.stopped) return;
    const current = this.byAlloc.get(allocID) ?? new Map<string, Running>();
    const wanted = new Set(targets.map((t) => t.id));
    for (const [id, r] of current) {
      if (!wanted.has(id)) {
        if (r.timer) clearTimeout(r.timer);
        current.delete(id);
      }
    }
    for (const t of targets) {
      if (current.has(t.id)) {
        current.get(t.id)!.target = t;
        continue;
      }
      const r: Running = {
        target: t,
        timer: null,
        busy: false,
        result: {
          ID: t.id,
          Mode: t.mode,
          Status: "pending",
          Output: "nomad: check has not run yet",
          Timestamp: this.nowSeconds(),
          Group: t.group,
          ...(t.task ? { Task: t.task } : {}),
          Service: t.service,
          Check: t.name,
        },
      };
      current.set(t.id, r);
      this.schedule(allocID, r, 0);
    }
    if (current.size === 0) this.byAlloc.delete(allocID);
    else this.byAlloc.set(allocID, current);
  }

  /** Stops and forgets the checks of an allocation. */
  removeAlloc(allocID: string): void {
    const current = this.byAlloc.get(allocID);
    if (!current) return;
    for (const r of current.values()) if (r.timer) clearTimeout(r.timer);
    this.byAlloc.delete(allocID);
  }

  /** The latest results of an allocation's checks, by check ID. */
  results(allocID: string): Record<string, CheckQueryResult> {
    const out: Record<string, CheckQueryResult> = {};
    for (const [id, r] of this.byAlloc.get(allocID) ?? []) out[id] = { ...r.result };
    return out;
  }

  /**
   * Whether every healthiness check of the allocation has passed its latest
   * run (readiness checks do not count; an allocation without checks passes).
   */
  allChecksPassing(allocID: string): boolean {
    for (const r of this.byAlloc.get(allocID)?.values() ?? [])
      if (r.target.mode === "healthiness" && r.result.Status !== "success") return false;
    return true;
  }

  /** Stops every check. */
  stop(): void {
    this.stopped = true;
    for (const id of [...this.byAlloc.keys()]) this.removeAlloc(id);
  }

  private schedule(allocID: string, r: Running, delayMs: number): void {
    r.timer = setTimeout(() => {
      r.timer = null;
      void this.runOnce(allocID, r);
    }, delayMs);
    r.timer.unref?.();
  }

  private async runOnce(allocID: string, r: Running): Promise<void> {
    const interval = Math.max(this.minIntervalMs, r.target.intervalMs);
    if (this.stopped || this.byAlloc.get(allocID)?.get(r.target.id) !== r) return;
    if (r.busy || this.inFlight >= this.maxInFlight) return this.schedule(allocID, r, interval);
    r.busy = true;
    this.inFlight++;
    let outcome: Pick<CheckQueryResult, "Status" | "Output" | "StatusCode">;
    try {
      outcome = await runCheck(r.target);
    } catch (err) {
      outcome = { Status: "failure", Output: `nomad: ${(err as Error).message}` };
    } finally {
      this.inFlight--;
      r.busy = false;
    }
    if (this.stopped || this.byAlloc.get(allocID)?.get(r.target.id) !== r) return;
    const before = r.result.Status;
    const t = r.target;
    r.result = {
      ID: t.id,
      Mode: t.mode,
      Status: outcome.Status,
      ...(outcome.StatusCode ? { StatusCode: outcome.StatusCode } : {}),
      Output: outcome.Output,
      Timestamp: this.nowSeconds(),
      Group: t.group,
      ...(t.task ? { Task: t.task } : {}),
      Service: t.service,
      Check: t.name,
    };
    if (before !== r.result.Status) this.onChange(allocID);
    this.schedule(allocID, r, interval);
  }
}

/** Runs one check once. */
export function runCheck(t: CheckTarget): Promise<Pick<CheckQueryResult, "Status" | "Output" | "StatusCode">> {
  if (t.type === "tcp") return tcpCheck(t);
  if (t.type === "http") return httpCheck(t);
  return Promise.resolve({
    Status: "failure",
    Output: `nomad: check type "${t.type}" is not supported by drover's nomad service checks (http and tcp are)`,
  });
}

function tcpCheck(t: CheckTarget): Promise<Pick<CheckQueryResult, "Status" | "Output">> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: t.address, port: t.port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ Status: "failure", Output: `dial tcp ${t.address}:${t.port}: i/o timeout` });
    }, t.timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ Status: "success", Output: "nomad: tcp ok" });
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const why = err.code === "ECONNREFUSED" ? "connect: connection refused" : err.message;
      resolve({ Status: "failure", Output: `dial tcp ${t.address}:${t.port}: ${why}` });
    });
  });
}

function httpCheck(t: CheckTarget): Promise<Pick<CheckQueryResult, "Status" | "Output" | "StatusCode">> {
  return new Promise((resolve) => {
    const protocol = t.protocol === "https" ? "https" : "http";
    const host = t.address.includes(":") ? `[${t.address}]` : t.address;
    let url: URL;
    try {
      url = new URL(t.path || "/", `${protocol}://${host}:${t.port}`);
    } catch (err) {
      return resolve({ Status: "failure", Output: (err as Error).message });
    }
    const headers: Record<string, string[] | string> = { "User-Agent": "Nomad/drover" };
    for (const [k, v] of Object.entries(t.headers)) headers[k] = v;
    const mod = protocol === "https" ? https : http;
    let done = false;
    const finish = (r: Pick<CheckQueryResult, "Status" | "Output" | "StatusCode">) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    const req = mod.request(
      url,
      {
        method: t.method || "GET",
        headers,
        timeout: t.timeoutMs,
        ...(protocol === "https" ? { rejectUnauthorized: !t.tlsSkipVerify } : {}),
      },
      (res) => {
        const code = res.statusCode ?? 0;
        if (code === 200) {
          res.resume();
          return finish({ Status: "success", Output: "nomad: http ok", StatusCode: code });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size >= CHECK_OUTPUT_LIMIT) return;
          chunks.push(c);
          size += c.length;
        });
        const end = () =>
          finish({
            Status: code < 400 ? "success" : "failure",
            Output: Buffer.concat(chunks).subarray(0, CHECK_OUTPUT_LIMIT).toString("utf8"),
            StatusCode: code,
          });
        res.on("end", end);
        res.on("error", end);
        res.on("close", end);
      },
    );
    req.on("timeout", () => {
      req.destroy();
      finish({
        Status: "failure",
        Output: `nomad: Get "${url.href}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      const why = err.code === "ECONNREFUSED" ? `dial tcp ${t.address}:${t.port}: connect: connection refused` : err.message;
      finish({ Status: "failure", Output: `nomad: Get "${url.href}": ${why}` });
    });
    req.end(t.body || undefined);
  });
}
