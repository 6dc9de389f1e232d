/**
 * Nomad's built-in service discovery for drover's runtime: it follows the
 * allocations in the state store, writes the registrations of the
 * `provider = "nomad"` services of those that run to the store's
 * `service_registrations` table (removing them when the allocation stops),
 * and runs their http and tcp checks. The server constructs one over its
 * store (`server.services`) and starts and stops it with itself. The
 * registrations are state like the rest (persisted, published on the event
 * stream as `Service` events); the check results live in memory, as a Nomad
 * client keeps them.
 */
import type { StateStore } from "../state";
import type { Allocation, ServiceRegistration } from "../structs";
import { allocClientTerminal } from "../structs";
import type { CheckQueryResult } from "../../api/types/client";
import { CheckRunner, nomadCheckID, type CheckRunnerOptions, type CheckTarget } from "./checks";
import { allocServices, checkAddress } from "./registration";

/** Nomad's default check interval and timeout when a check leaves them out, ms (its validation requires them; these keep a bad spec harmless). */
const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 2_000;

/** The registrations and checks of one server. */
export class ServiceDiscovery {
  /** Registrations removed through the API: not added again while their allocation keeps running. */
  private readonly deleted = new Map<string, Set<string>>();
  /** The check runner (a new one after each stop: a stopped runner stays stopped). */
  private checks: CheckRunner;
  private readonly checkOptions: CheckRunnerOptions;
  private unsubscribe: (() => void) | null = null;
  private readonly checkListeners = new Set<(allocID: string) => void>();

  /**
   * @param store the state store whose allocations it follows and whose `service_registrations` table it writes.
   * @param options the check runner's options.
   * @param log where a failure to persist registrations is reported (default: nowhere; the server passes its log).
   */
  constructor(
    private readonly store: StateStore,
    options: CheckRunnerOptions = {},
    private readonly log: (message: string) => void = () => {},
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

  /**
   * Starts following the state store: registers what runs and removes the
   * registrations (kept from before a restart) of allocations that no longer
   * run.
   */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((c) => {
      if (c.allocs.length) this.sync(c.allocs.map((a) => a.ID));
    });
    const allocIDs = new Set<string>();
    for (const r of this.store.serviceRegistrations("*")) allocIDs.add(r.AllocID);
    for (const a of this.store.allocs()) allocIDs.add(a.ID);
    this.sync(allocIDs);
  }

  /**
   * Stops following and stops every check. The registrations stay in the
   * store, as a stopped Nomad agent leaves them; a later start brings them
   * in step with the allocations again.
   */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.checks.stop();
    this.checks = new CheckRunner(this.checkOptions);
    this.deleted.clear();
  }

  /**
   * Brings the registrations of these allocations in step with them, in one
   * write: a running allocation's nomad services registered (a registration
   * rewritten only when its address, port or tags changed), every other
   * allocation's removed.
   */
  private sync(allocIDs: Iterable<string>): void {
    const put: ServiceRegistration[] = [];
    const remove: string[] = [];
    for (const id of allocIDs) {
      const current = this.store.allocByID(id);
      const runs = current && current.DesiredStatus === "run" && !allocClientTerminal(current) && current.ClientStatus === "running";
      const keep = runs ? this.registerAlloc(current, put) : new Set<string>();
      for (const r of this.store.serviceRegistrationsByAlloc(id)) if (!keep.has(r.ID)) remove.push(r.ID);
      if (!runs) {
        this.deleted.delete(id);
        this.checks.removeAlloc(id);
      }
    }
    if (put.length === 0 && remove.length === 0) return;
    const { durable } = this.store.write((txn) => {
      for (const r of put) txn.putServiceRegistration(r);
      for (const id of remove) txn.deleteServiceRegistration(id);
    });
    durable.catch((err: Error) => this.log(`service discovery: persisting registrations failed: ${err.message}`));
  }

  /**
   * Queues the registrations of a running allocation that are new or
   * changed, and sets its checks; returns the IDs of the registrations it
   * keeps.
   */
  private registerAlloc(a: Allocation, put: ServiceRegistration[]): Set<string> {
    const ids = new Set<string>();
    const node = this.store.nodeByID(a.NodeID);
    const services = allocServices(a, node);
    if (services.length === 0) {
      this.checks.removeAlloc(a.ID);
      return ids;
    }
    const removed = this.deleted.get(a.ID);
    const targets: CheckTarget[] = [];
    for (const s of services) {
      const r = s.registration;
      if (!removed?.has(r.ID)) {
        const existing = this.store.serviceRegistration(r.ID);
        const same =
          existing && existing.Address === r.Address && existing.Port === r.Port && existing.Tags.join("\u0000") === r.Tags.join("\u0000");
        if (!same) put.push({ ...r, CreateIndex: 0, ModifyIndex: 0 });
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
    this.checks.setChecks(a.ID, targets);
    return ids;
  }

  /** Registrations in a namespace ("*" for all), ordered by service name then ID. */
  list(namespace: string): ServiceRegistration[] {
    return this.store.serviceRegistrations(namespace);
  }

  /** Registrations of one service name in a namespace ("*" for all), ordered by ID. */
  byName(namespace: string, name: string): readonly ServiceRegistration[] {
    return this.store.serviceRegistrationsByName(namespace, name);
  }

  /** Registrations of one allocation. */
  byAllocID(allocID: string): readonly ServiceRegistration[] {
    return this.store.serviceRegistrationsByAlloc(allocID);
  }

  /**
   * Removes one registration (`DELETE /v1/service/:name/:id`); it is not
   * registered again while its allocation keeps running. Undefined when
   * there is none with that ID; else the index of the write and when it is
   * durable.
   */
  delete(id: string): { index: number; durable: Promise<void> } | undefined {
    const r = this.store.serviceRegistration(id);
    if (!r) return undefined;
    const d = this.deleted.get(r.AllocID) ?? new Set<string>();
    d.add(id);
    this.deleted.set(r.AllocID, d);
    const { index, durable } = this.store.write((txn) => txn.deleteServiceRegistration(id));
    return { index, durable };
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
