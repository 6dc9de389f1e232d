/**
 * The evaluation broker (Nomad's `nomad/eval_broker.go`): ready queues per
 * scheduler type ordered by priority then CreateIndex, at most one eval per
 * job ready or in flight (the rest wait in a per-job pending list), delayed
 * evals (Wait / WaitUntil), and nack with redelivery up to a delivery limit,
 * after which the eval goes to the failed queue.
 */
import type { Evaluation } from "../structs";
import type { Clock } from "./clock";
import { appendAll } from "../scheduler/util";

/** Broker knobs; Nomad's defaults. */
export interface EvalBrokerOptions {
  /** Deliveries before an eval is failed (`EvalDeliveryLimit`, 3). */
  deliveryLimit?: number;
  /** Delay before the first redelivery after a nack, ms (`EvalNackInitialReenqueueDelay`, 1 s). */
  initialNackDelayMs?: number;
  /** Delay multiplier for later redeliveries, ms (`EvalNackSubsequentReenqueueDelay`, 20 s). */
  subsequentNackDelayMs?: number;
}

/** A dequeued eval with its token, to ack or nack. */
export interface Delivery {
  eval: Evaluation;
  token: string;
}

/** Counts for `/v1/agent/self`-style stats and tests. */
export interface BrokerStats {
  totalReady: number;
  totalUnacked: number;
  totalPending: number;
  totalWaiting: number;
  totalFailed: number;
}

function jobKey(e: Evaluation): string {
  return `${e.Namespace}\u0000${e.JobID}`;
}

/** Ready order: higher priority first, then lower CreateIndex. */
function readyBefore(a: Evaluation, b: Evaluation): boolean {
  if (a.Priority !== b.Priority) return a.Priority > b.Priority;
  return a.CreateIndex < b.CreateIndex;
}

/** Pending order per job: higher priority first, then the newest (highest ModifyIndex). */
function pendingBefore(a: Evaluation, b: Evaluation): boolean {
  if (a.Priority !== b.Priority) return a.Priority > b.Priority;
  return a.ModifyIndex > b.ModifyIndex;
}

/** Inserts keeping `list` ordered by `before` (binary search). */
function insertOrdered(list: Evaluation[], e: Evaluation, before: (a: Evaluation, b: Evaluation) => boolean): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid], e)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, e);
}

/** The broker. */
export class EvalBroker {
  private readonly ready = new Map<string, Evaluation[]>();
  /** Job key → the eval ready or in flight for it. */
  private readonly jobEvals = new Map<string, string>();
  private readonly pending = new Map<string, Evaluation[]>();
  private readonly unacked = new Map<string, { eval: Evaluation; token: string }>();
  private readonly deliveries = new Map<string, number>();
  private readonly waiting = new Map<string, unknown>();
  private readonly failed: Evaluation[] = [];
  private cancelable: Evaluation[] = [];
  private tokenCounter = 0;
  private enabled = true;
  /** How many times an eval is delivered before it fails (Nomad's `EvalDeliveryLimit`, default 3). */
  readonly deliveryLimit: number;
  private readonly initialNackDelayMs: number;
  private readonly subsequentNackDelayMs: number;
  /** Called whenever an eval becomes ready (the worker pump listens). */
  private readonly onReady: () => void;
  /** Called when an eval reaches the failed queue. */
  private readonly onFailed: () => void;

  /**
   * @param clock the time source of delays
   * @param options delivery limit and nack delays (Nomad's defaults when unset)
   * @param events what to call when an eval becomes ready or fails (default: nothing)
   */
  constructor(
    private readonly clock: Clock,
    options: EvalBrokerOptions = {},
    events: { onReady?: () => void; onFailed?: () => void } = {},
  ) {
    this.onReady = events.onReady ?? (() => {});
    this.onFailed = events.onFailed ?? (() => {});
    this.deliveryLimit = options.deliveryLimit ?? 3;
    this.initialNackDelayMs = options.initialNackDelayMs ?? 1000;
    this.subsequentNackDelayMs = options.subsequentNackDelayMs ?? 20_000;
  }

  /** Enqueues an eval: delayed if it has a Wait or a future WaitUntil, pending if its job already has one in flight, else ready. */
  enqueue(e: Evaluation): void {
    if (!this.enabled) return;
    if (this.unacked.has(e.ID) || this.waiting.has(e.ID)) return;
    const untilMs = e.WaitUntil ? Date.parse(e.WaitUntil) : NaN;
    const delayMs = Number.isFinite(untilMs) ? untilMs - this.clock.nowMs() : e.Wait > 0 ? e.Wait / 1_000_000 : 0;
    if (delayMs > 0) {
      const handle = this.clock.setTimer(() => {
        this.waiting.delete(e.ID);
        this.enqueueReady(e);
      }, delayMs);
      this.waiting.set(e.ID, handle);
      return;
    }
    this.enqueueReady(e);
  }

  private enqueueReady(e: Evaluation): void {
    const key = jobKey(e);
    const current = this.jobEvals.get(key);
    if (current !== undefined && current !== e.ID) {
      let list = this.pending.get(key);
      if (!list) this.pending.set(key, (list = []));
      if (!list.some((x) => x.ID === e.ID)) insertOrdered(list, e, pendingBefore);
      return;
    }
    this.jobEvals.set(key, e.ID);
    let q = this.ready.get(e.Type);
    if (!q) this.ready.set(e.Type, (q = []));
    insertOrdered(q, e, readyBefore);
    this.onReady();
  }

  /** Takes the best ready eval among `types` (all types when omitted). */
  dequeue(types?: readonly string[]): Delivery | undefined {
    let best: Evaluation[] | undefined;
    for (const [type, q] of this.ready) {
      if (q.length === 0 || (types && !types.includes(type))) continue;
      if (!best || readyBefore(q[0], best[0])) best = q;
    }
    if (!best) return undefined;
    const e = best.shift() as Evaluation;
    const token = `t-${++this.tokenCounter}`;
    this.unacked.set(e.ID, { eval: e, token });
    this.deliveries.set(e.ID, (this.deliveries.get(e.ID) ?? 0) + 1);
    return { eval: e, token };
  }

  /** The eval was processed: release its job and promote the best pending eval; the other pending ones become cancelable. */
  ack(evalID: string, token: string): void {
    const u = this.unacked.get(evalID);
    if (!u || u.token !== token) throw new Error(`evaluation ${evalID} is not outstanding with token ${token}`);
    this.unacked.delete(evalID);
    this.deliveries.delete(evalID);
    const key = jobKey(u.eval);
    this.jobEvals.delete(key);
    const list = this.pending.get(key);
    if (list && list.length > 0) {
      this.pending.delete(key);
      const [next, ...rest] = list;
      appendAll(this.cancelable, rest);
      this.enqueueReady(next);
    }
  }

  /** Processing failed: redeliver after a delay, or fail the eval once it reached the delivery limit. */
  nack(evalID: string, token: string): void {
    const u = this.unacked.get(evalID);
    if (!u || u.token !== token) throw new Error(`evaluation ${evalID} is not outstanding with token ${token}`);
    this.unacked.delete(evalID);
    const n = this.deliveries.get(evalID) ?? 1;
    const key = jobKey(u.eval);
    if (n >= this.deliveryLimit) {
      this.deliveries.delete(evalID);
      this.jobEvals.delete(key);
      this.failed.push(u.eval);
      const list = this.pending.get(key);
      if (list && list.length > 0) {
        const next = list.shift() as Evaluation;
        if (list.length === 0) this.pending.delete(key);
        this.enqueueReady(next);
      }
      this.onFailed();
      return;
    }
    const delay = n === 1 ? this.initialNackDelayMs : (n - 1) * this.subsequentNackDelayMs;
    this.jobEvals.delete(key);
    const handle = this.clock.setTimer(() => {
      this.waiting.delete(evalID);
      this.enqueueReady(u.eval);
    }, delay);
    this.waiting.set(evalID, handle);
  }

  /** Takes the evals that reached the delivery limit. */
  takeFailed(): Evaluation[] {
    return this.failed.splice(0);
  }

  /** Takes the evals superseded by a newer pending eval of the same job (to be marked canceled). */
  takeCancelable(): Evaluation[] {
    const out = this.cancelable;
    this.cancelable = [];
    return out;
  }

  /** Whether an eval is queued, waiting or in flight. */
  has(evalID: string): boolean {
    if (this.unacked.has(evalID) || this.waiting.has(evalID)) return true;
    for (const q of this.ready.values()) if (q.some((e) => e.ID === evalID)) return true;
    for (const q of this.pending.values()) if (q.some((e) => e.ID === evalID)) return true;
    return false;
  }

  /** Counts. */
  stats(): BrokerStats {
    let ready = 0;
    for (const q of this.ready.values()) ready += q.length;
    let pending = 0;
    for (const q of this.pending.values()) pending += q.length;
    return {
      totalReady: ready,
      totalUnacked: this.unacked.size,
      totalPending: pending,
      totalWaiting: this.waiting.size,
      totalFailed: this.failed.length,
    };
  }

  /** Turns the broker on again after `disable` (a new leader term: the server restores the evaluations from state). */
  enable(): void {
    this.enabled = true;
  }

  /** Turns the broker off and forgets every evaluation it held (the server stopping, or restoring a snapshot), clearing its timers. */
  disable(): void {
    this.enabled = false;
    for (const h of this.waiting.values()) this.clock.clearTimer(h);
    this.waiting.clear();
    this.ready.clear();
    this.pending.clear();
    this.unacked.clear();
    this.jobEvals.clear();
    this.deliveries.clear();
    this.failed.length = 0;
    this.cancelable = [];
  }
}
