/**
 * The deep dive's `QueueBasedScaler`, in TypeScript: sets a group's count
 * from a queue's depth (one worker per `messagesPerWorker` messages, plus
 * one), within the min and max of the group's scaling block, no more often
 * than the cooldown allows, through Nomad's scale API (`/v1/job/:id/scale`)
 * with a message and meta that Nomad keeps as a scaling event.
 */
import type { NomadClient, ReadBackJob } from "../../lib/api";
import type { QueueDepthSource } from "./queue";

/** Options of a `QueueBasedScaler`. */
export interface QueueScalerOptions {
  /** The job to scale. */
  jobId: string;
  /** The group to scale. */
  group: string;
  /** Where the depth comes from. */
  source: QueueDepthSource;
  /** Messages one worker handles. Default 100. */
  messagesPerWorker?: number;
  /** Least time between two scaling actions, ms. Default 60000. */
  cooldownMs?: number;
  /** Lower bound when the group has no scaling block (or its block sets no min). Default 1. */
  minCount?: number;
  /** Upper bound when the group has no scaling block. Default 20. */
  maxCount?: number;
  /** The clock, ms (tests pass their own). Default `Date.now`. */
  now?: () => number;
  /** Log lines. Default: none. */
  log?: (line: string) => void;
}

/** One scaling action. */
export interface ScaleAction {
  /** Count before. */
  previous: number;
  /** Count asked for. */
  next: number;
  /** Queue depth that led to it. */
  depth: number;
  /** Evaluation Nomad created. */
  evalId: string;
}

/** Why `scale()` did nothing: "cooldown", "unchanged". */
export type ScaleSkip = { skipped: "cooldown"; remainingMs: number } | { skipped: "unchanged"; count: number; depth: number };

/** The group's count bounds: the job's scaling block first, then the options. */
export interface CountLimits {
  /** Least count. */
  min: number;
  /** Greatest count. */
  max: number;
  /** Where they came from. */
  from: "scaling block" | "options";
}

interface GroupView {
  Name: string;
  Count?: number | null;
  Scaling?: { Min?: number | null; Max?: number | null; Enabled?: boolean | null } | null;
}

/** Scales one group of one job from a queue's depth. */
export class QueueBasedScaler {
  private lastScaleMs: number | null = null;
  private readonly now: () => number;

  constructor(
    private readonly client: NomadClient,
    private readonly opts: QueueScalerOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  private group(job: ReadBackJob): GroupView {
    const g = ((job.TaskGroups as GroupView[] | undefined) ?? []).find((x) => x.Name === this.opts.group);
    if (!g) throw new Error(`job "${this.opts.jobId}" has no group "${this.opts.group}"`);
    return g;
  }

  /** The count bounds of the group (its scaling block's min and max, as Nomad enforces them). */
  limits(job: ReadBackJob): CountLimits {
    const s = this.group(job).Scaling;
    if (s && s.Enabled !== false && typeof s.Max === "number")
      return { min: s.Min ?? this.opts.minCount ?? 1, max: s.Max, from: "scaling block" };
    return { min: this.opts.minCount ?? 1, max: this.opts.maxCount ?? 20, from: "options" };
  }

  /** The count the depth asks for: `depth / messagesPerWorker + 1`, clamped to the limits. */
  desiredCount(depth: number, limits: CountLimits): number {
    const wanted = Math.floor(depth / (this.opts.messagesPerWorker ?? 100)) + 1;
    return Math.max(limits.min, Math.min(limits.max, wanted));
  }

  /**
   * One round: unless in cooldown, reads the depth and the group's count and
   * limits, and scales when they differ. The first round after a restart
   * honours the cooldown from the group's latest scaling event in Nomad.
   */
  async scale(): Promise<ScaleAction | ScaleSkip> {
    const cooldownMs = this.opts.cooldownMs ?? 60_000;
    if (this.lastScaleMs === null) this.lastScaleMs = await this.lastEventMs();
    const since = this.lastScaleMs === null ? Infinity : this.now() - this.lastScaleMs;
    if (since < cooldownMs) return { skipped: "cooldown", remainingMs: cooldownMs - since };
    const [job, depth] = await Promise.all([this.client.jobs.info(this.opts.jobId).then((r) => r.data), this.opts.source.depth()]);
    const limits = this.limits(job);
    const current = this.group(job).Count ?? 1;
    const next = this.desiredCount(depth, limits);
    if (next === current) return { skipped: "unchanged", count: current, depth };
    this.opts.log?.(
      `scaling ${this.opts.jobId}/${this.opts.group}: ${current} -> ${next} (${depth} messages in ${this.opts.source.name}; ${limits.min}..${limits.max} from the ${limits.from})`,
    );
    const res = await this.client.jobs.scale(this.opts.jobId, this.opts.group, next, {
      message: `Queue scaler: ${depth} messages in ${this.opts.source.name}`,
      meta: {
        queue: this.opts.source.name,
        queue_depth: depth,
        messages_per_worker: this.opts.messagesPerWorker ?? 100,
        previous_count: current,
      },
    });
    this.lastScaleMs = this.now();
    return { previous: current, next, depth, evalId: res.data.EvalID };
  }

  /** The time of the group's latest scaling event that changed its count, as this scaler's clock reads it (null when none). */
  private async lastEventMs(): Promise<number | null> {
    const status = (await this.client.jobs.scaleStatus(this.opts.jobId)).data;
    const events = status.TaskGroups?.[this.opts.group]?.Events ?? [];
    const times = events.filter((e) => !e.Error && e.Count !== null && e.Count !== undefined).map((e) => e.Time / 1e6);
    if (!times.length) return null;
    // Nomad's clock and ours may differ in tests; never place the event in our future.
    return Math.min(Math.max(...times), this.now());
  }

  /**
   * Runs `scale()` every `intervalMs` until `signal` aborts. Errors are logged
   * and the loop goes on (a queue or Nomad that is briefly unreachable does
   * not stop the scaler). Resolves once aborted.
   */
  async run(opts: { intervalMs?: number; signal: AbortSignal; onRound?: (r: ScaleAction | ScaleSkip | Error) => void }): Promise<void> {
    const intervalMs = opts.intervalMs ?? 30_000;
    while (!opts.signal.aborted) {
      try {
        const r = await this.scale();
        if ("next" in r) this.opts.log?.(`scaled: ${r.previous} -> ${r.next} (evaluation ${r.evalId.slice(0, 8)})`);
        opts.onRound?.(r);
      } catch (err) {
        this.opts.log?.(`scaler error: ${(err as Error).message}`);
        opts.onRound?.(err as Error);
      }
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          opts.signal.removeEventListener("abort", onAbort);
          resolve();
        }, intervalMs);
        opts.signal.addEventListener("abort", onAbort, { once: true });
      });
    }
  }
}
