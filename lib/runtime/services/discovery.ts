/**
 * Nomad's built-in service discovery for drover's runtime: it follows the
 * allocations in the state store, registers the `provider = "nomad"`
 * services of those that run (removing them when the allocation stops), and
 * runs their http and tcp checks. The server constructs one over its store
 * (`server.services`) and starts and stops it with itself; registrations
 * live in memory: a restarted agent registers them again from the
 * allocations it finds running.
 */
import type { StateStore } from "../state";
import type { Allocation } from "../structs";
import { allocClientTerminal } from "../structs";
import type { CheckQueryResult } from "../../api/types/client";
import { CheckRunner, nomadCheckID, type CheckRunnerOptions, type CheckTarget } from "./checks";
import { allocServices, checkAddress, type ServiceRegistration } from "./registration";

/** Nomad's default check interval and timeout when a check leaves them out, ms (its validation requires them; these keep a bad spec harmless). */
const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 2_000;

/** The registrations and checks of one server. */
export class ServiceDiscovery {
  private readonly regs = new Map<string, ServiceRegistration>();
  private readonly byAlloc = new Map<string, Set<string>>();
  /** Registrations removed through the API: not added again while their allocation keeps running. */
  private readonly deleted = new Map<string, Set<string>>();
  /** The check runner (a new one after each stop: a stopped runner stays stopped). */
  private checks: CheckRunner;
  private readonly checkOptions: CheckRunnerOptions;
  private unsubscribe: (() => void) | null = null;
  private lastIndex = 0;
  private readonly checkListeners = new Set<(allocID: string) => void>();

  constructor(
    private readonly store: StateStore,
    options: CheckRunnerOptions = {},
  ) {
    this.checkOptions = {
      ...options,
      onChange: (allocID) => {
        options.onChange?.(allocID);
        for (const l of this.checkListeners) l(allocID);
      },
    };
    this.checks = new CheckRunner(this.checkOptions);
  }

  /**
   * Calls `listener` with the allocation ID whenever one of its checks
   * changes status (pending, success, failure): the place for health logic
   * to look at `allChecksPassing` again. Returns the unsubscribe function.
   */
  onCheckStatusChange(listener: (allocID: string) => void): () => void {
    this.checkListeners.add(listener);
    return () => this.checkListeners.delete(listener);
  }

  /** Starts following the state store (registering what already runs). */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((c) => {
      if (c.allocs.length) this.sync(c.allocs, c.index);
    });
    this.sync([...this.store.allocs()], this.store.latestIndex());
  }

  /** Stops following, stops every check and forgets the registrations (a later start registers again from the allocations). */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.checks.stop();
    this.checks = new CheckRunner(this.checkOptions);
    this.regs.clear();
    this.byAlloc.clear();
    this.deleted.clear();
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  private waiters: { minIndex: number; resolve: () => void; timer: NodeJS.Timeout }[] = [];

  /** Records a change of the registrations at `index` and wakes the blocking queries it satisfies. */
  private bump(index: number): void {
    this.lastIndex = Math.max(this.lastIndex, index);
    const ready = this.waiters.filter((w) => this.lastIndex > w.minIndex);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => this.lastIndex <= w.minIndex);
    for (const w of ready) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  /** Resolves once the registrations change above `minIndex`, or after `timeoutMs` (a blocking query). */
  waitForChange(minIndex: number, timeoutMs: number): Promise<void> {
    if (this.index > minIndex) return Promise.resolve();
    return new Promise((resolve) => {
      const w = {
        minIndex,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          resolve();
        }, timeoutMs),
      };
      w.timer.unref?.();
      this.waiters.push(w);
    });
  }

  /** Index of the last registration change (for X-Nomad-Index). */
  get index(): number {
    return this.lastIndex || this.store.latestIndex();
  }

  private sync(allocs: readonly Allocation[], index: number): void {
    for (const a of allocs) {
      const current = this.store.allocByID(a.ID);
      if (!current || current.DesiredStatus !== "run" || allocClientTerminal(current) || current.ClientStatus !== "running")
        this.deregisterAlloc(a.ID, index);
      else this.registerAlloc(current, index);
    }
  }

  private registerAlloc(a: Allocation, index: number): void {
    const node = this.store.nodeByID(a.NodeID);
    const services = allocServices(a, node);
    if (services.length === 0) return;
    const removed = this.deleted.get(a.ID);
    const ids = this.byAlloc.get(a.ID) ?? new Set<string>();
    const targets: CheckTarget[] = [];
    for (const s of services) {
      const r = s.registration;
      if (!removed?.has(r.ID)) {
        const existing = this.regs.get(r.ID);
        const same =
          existing && existing.Address === r.Address && existing.Port === r.Port && existing.Tags.join("\u0000") === r.Tags.join("\u0000");
        if (!same) {
          this.regs.set(r.ID, { ...r, CreateIndex: existing?.CreateIndex ?? index, ModifyIndex: index });
          this.bump(index);
        }
        ids.add(r.ID);
      }
      for (const c of s.service.Checks ?? []) {
        const type = c.Type ?? "";
        const { address, port } = checkAddress(a, node, s.service, c);
        const intervalMs = c.Interval ? c.Interval / 1e6 : DEFAULT_INTERVAL_MS;
        const timeoutMs = c.Timeout ? c.Timeout / 1e6 : DEFAULT_TIMEOUT_MS;
        const name = c.Name || `service: "${r.ServiceName}" check`;
        targets.push({
          id: nomadCheckID(a.ID, s.group, [
            s.task,
            name,
            type,
            c.PortLabel ?? "",
            c.OnUpdate ?? "",
            intervalMs,
            timeoutMs,
            c.Protocol ?? "",
            c.Path ?? "",
            c.Method ?? "",
            Boolean(c.TLSSkipVerify),
          ]),
          group: s.group,
          task: s.task,
          service: r.ServiceName,
          name,
          type,
          mode: c.OnUpdate === "ignore" ? "readiness" : "healthiness",
          intervalMs,
          timeoutMs,
          address,
          port,
          path: c.Path ?? "/",
          method: c.Method || "GET",
          protocol: c.Protocol || "http",
          headers: c.Header ?? {},
          body: c.Body ?? "",
          tlsSkipVerify: Boolean(c.TLSSkipVerify),
        });
      }
    }
    if (ids.size) this.byAlloc.set(a.ID, ids);
    this.checks.setChecks(a.ID, targets);
  }

  private deregisterAlloc(allocID: string, index: number): void {
    const ids = this.byAlloc.get(allocID);
    if (ids) {
      for (const id of ids) this.regs.delete(id);
      this.byAlloc.delete(allocID);
      this.bump(index);
    }
    this.deleted.delete(allocID);
    this.checks.removeAlloc(allocID);
  }

  /** Registrations in a namespace ("*" for all), ordered by service name then ID. */
  list(namespace: string): ServiceRegistration[] {
    return [...this.regs.values()]
      .filter((r) => namespace === "*" || r.Namespace === namespace)
      .sort((a, b) => (a.ServiceName < b.ServiceName ? -1 : a.ServiceName > b.ServiceName ? 1 : a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
  }

  /** Registrations of one service name in a namespace. */
  byName(namespace: string, name: string): ServiceRegistration[] {
    return this.list(namespace).filter((r) => r.ServiceName === name);
  }

  /** Registrations of one allocation. */
  byAllocID(allocID: string): ServiceRegistration[] {
    return [...(this.byAlloc.get(allocID) ?? [])].map((id) => this.regs.get(id)!).filter(Boolean);
  }

  /** Removes one registration (`DELETE /v1/service/:name/:id`); false when there is none with that ID. */
  delete(id: string): boolean {
    const r = this.regs.get(id);
    if (!r) return false;
    this.regs.delete(id);
    this.byAlloc.get(r.AllocID)?.delete(id);
    const d = this.deleted.get(r.AllocID) ?? new Set<string>();
    d.add(id);
    this.deleted.set(r.AllocID, d);
    this.bump(this.store.latestIndex());
    return true;
  }

  /** The latest check results of an allocation, by check ID. */
  checkResults(allocID: string): Record<string, CheckQueryResult> {
    return this.checks.results(allocID);
  }

  /**
   * Whether every healthiness check of the allocation's nomad services
   * passes (true without checks): what deployment health with
   * `health_check = "checks"` must also require.
   */
  allChecksPassing(allocID: string): boolean {
    return this.checks.allChecksPassing(allocID);
  }

  /**
   * Deployment health through checks (`health_check = "checks"`): every
   * healthiness check the allocation's nomad services declare is registered
   * and passed its latest run. True when they declare none; false while a
   * declared check has not been registered or run yet.
   */
  checksHealthy(alloc: Allocation): boolean {
    let expected = 0;
    for (const s of allocServices(alloc, undefined)) for (const c of s.service.Checks ?? []) if (c.OnUpdate !== "ignore") expected++;
    if (expected === 0) return true;
    const healthiness = Object.values(this.checks.results(alloc.ID)).filter((r) => r.Mode === "healthiness");
    return healthiness.length >= expected && healthiness.every((r) => r.Status === "success");
  }
}
