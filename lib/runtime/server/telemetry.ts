/**
 * The server's metrics (Nomad's go-metrics in-memory sink as `/v1/metrics`
 * shows it): counters and timing samples recorded as things happen, under
 * Nomad's `nomad.*` names. Gauges are read from the state when asked.
 */

/** Labels of a metric. */
export type MetricLabels = Record<string, string>;

/** An aggregate of counter increments or timing samples (go-metrics' `AggregateSample`). */
export interface AggregateSample {
  /** The metric's name, e.g. `nomad.nomad.plan.submit`. */
  Name: string;
  /** How many values were recorded. */
  Count: number;
  /** Values per second over the time since the first one. */
  Rate: number;
  /** Their sum. */
  Sum: number;
  /** The smallest. */
  Min: number;
  /** The largest. */
  Max: number;
  /** Their mean. */
  Mean: number;
  /** Their standard deviation. */
  Stddev: number;
  /** The labels. */
  Labels: MetricLabels;
}

interface Aggregate {
  name: string;
  labels: MetricLabels;
  count: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
  firstMs: number;
}

function keyOf(name: string, labels: MetricLabels): string {
  return `${name}\u0000${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",")}`;
}

/** Counters and samples since the agent started. */
export class Telemetry {
  private readonly counters = new Map<string, Aggregate>();
  private readonly samples = new Map<string, Aggregate>();

  /** @param nowMs the clock (ms). */
  constructor(private readonly nowMs: () => number = () => Date.now()) {}

  /** Adds `value` to a counter. */
  incr(name: string, value = 1, labels: MetricLabels = {}): void {
    this.record(this.counters, name, value, labels);
  }

  /** Records one timing sample in milliseconds. */
  sample(name: string, ms: number, labels: MetricLabels = {}): void {
    this.record(this.samples, name, ms, labels);
  }

  private record(into: Map<string, Aggregate>, name: string, value: number, labels: MetricLabels): void {
    const k = keyOf(name, labels);
    let a = into.get(k);
    if (!a) into.set(k, (a = { name, labels, count: 0, sum: 0, sumSq: 0, min: value, max: value, firstMs: this.nowMs() }));
    a.count++;
    a.sum += value;
    a.sumSq += value * value;
    a.min = Math.min(a.min, value);
    a.max = Math.max(a.max, value);
  }

  /** The counters, sorted by name. */
  counterList(): AggregateSample[] {
    return this.list(this.counters);
  }

  /** The samples, sorted by name. */
  sampleList(): AggregateSample[] {
    return this.list(this.samples);
  }

  private list(from: Map<string, Aggregate>): AggregateSample[] {
    const now = this.nowMs();
    return [...from.values()]
      .map((a) => {
        const mean = a.sum / a.count;
        const variance = a.count > 1 ? Math.max(0, (a.sumSq - a.count * mean * mean) / (a.count - 1)) : 0;
        const seconds = Math.max(1, (now - a.firstMs) / 1000);
        return {
          Name: a.name,
          Count: a.count,
          Rate: a.sum / seconds,
          Sum: a.sum,
          Min: a.min,
          Max: a.max,
          Mean: mean,
          Stddev: Math.sqrt(variance),
          Labels: a.labels,
        };
      })
      .sort((x, y) => (x.Name < y.Name ? -1 : x.Name > y.Name ? 1 : 0));
  }
}
