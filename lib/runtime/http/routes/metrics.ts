/**
 * `GET /v1/metrics` (Nomad's `command/agent/metrics_endpoint.go`): the
 * agent's metrics in go-metrics' JSON shape (Gauges, Points, Counters,
 * Samples), or with `?format=prometheus` in the Prometheus text format
 * (when the `telemetry` block's `prometheus_metrics` is on, as `--dev` sets it).
 */
import { CodedError, badRequest } from "../../server/errors";
import type { Server } from "../../server/server";
import type { AggregateSample, MetricLabels } from "../../server/telemetry";
import { allocTerminal } from "../../structs";
import { READ, type Route } from "../router";
import { ACL_NONE } from "../route-acl";

/** The agent's `telemetry` block (Nomad's names). */
export interface TelemetrySettings {
  /** Serve `?format=prometheus` (Nomad's `prometheus_metrics`; default false, true with `--dev`). */
  prometheusMetrics?: boolean;
  /** Publish the client nodes' allocation counts, `nomad.client.allocations.*` (Nomad's `publish_node_metrics`; default false, true with `--dev`). */
  publishNodeMetrics?: boolean;
}

/** One gauge. */
export interface Gauge {
  /** Its name, e.g. `nomad.nomad.broker.total_ready`. */
  Name: string;
  /** Its value now. */
  Value: number;
  /** Its labels. */
  Labels: MetricLabels;
}

/** The gauges of the agent now: memory, the eval broker, blocked evaluations, job summaries and statuses, and (when published) the client nodes' allocations. */
function gauges(server: Server, settings: TelemetrySettings): Gauge[] {
  const out: Gauge[] = [];
  const g = (Name: string, Value: number, Labels: MetricLabels = {}) => out.push({ Name, Value, Labels });
  const mem = process.memoryUsage();
  g("nomad.runtime.alloc_bytes", mem.heapUsed);
  g("nomad.runtime.sys_bytes", mem.rss);
  g("nomad.runtime.heap_total_bytes", mem.heapTotal);
  const broker = server.broker.stats();
  g("nomad.nomad.broker.total_ready", broker.totalReady);
  g("nomad.nomad.broker.total_unacked", broker.totalUnacked);
  g("nomad.nomad.broker.total_pending", broker.totalPending);
  g("nomad.nomad.broker.total_waiting", broker.totalWaiting);
  g("nomad.nomad.blocked_evals.total_blocked", server.blocked.size);
  const status = { pending: 0, running: 0, dead: 0 };
  for (const j of server.store.jobs("*")) {
    status[j.Status] = (status[j.Status] ?? 0) + 1;
    const summary = server.store.jobSummary(j.Namespace, j.ID);
    for (const [group, s] of Object.entries(summary?.Summary ?? {})) {
      const labels = { job: j.ID, task_group: group, namespace: j.Namespace };
      g("nomad.nomad.job_summary.queued", s.Queued, labels);
      g("nomad.nomad.job_summary.complete", s.Complete, labels);
      g("nomad.nomad.job_summary.failed", s.Failed, labels);
      g("nomad.nomad.job_summary.running", s.Running, labels);
      g("nomad.nomad.job_summary.starting", s.Starting, labels);
      g("nomad.nomad.job_summary.lost", s.Lost, labels);
      g("nomad.nomad.job_summary.unknown", s.Unknown ?? 0, labels);
    }
  }
  g("nomad.nomad.job_status.pending", status.pending);
  g("nomad.nomad.job_status.running", status.running);
  g("nomad.nomad.job_status.dead", status.dead);
  if (settings.publishNodeMetrics) {
    for (const n of server.store.nodes()) {
      let running = 0;
      let pending = 0;
      let terminal = 0;
      for (const a of server.store.allocsByNode(n.ID)) {
        if (allocTerminal(a)) terminal++;
        else if (a.ClientStatus === "running") running++;
        else if (a.ClientStatus === "pending") pending++;
      }
      const labels = { node_id: n.ID, datacenter: n.Datacenter, node_class: n.NodeClass ?? "", node_pool: n.NodePool ?? "default" };
      g("nomad.client.allocations.running", running, labels);
      g("nomad.client.allocations.pending", pending, labels);
      g("nomad.client.allocations.terminal", terminal, labels);
    }
  }
  return out;
}

/** A Prometheus metric name from a go-metrics one (`nomad.nomad.plan.submit` → `nomad_nomad_plan_submit`). */
function prometheusName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, "_");
}

function labelText(labels: MetricLabels, extra: MetricLabels = {}): string {
  const all = { ...labels, ...extra };
  const keys = Object.keys(all).sort();
  if (keys.length === 0) return "";
  const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
  return `{${keys.map((k) => `${prometheusName(k)}="${esc(all[k])}"`).join(",")}}`;
}

/** The Prometheus text exposition (format 0.0.4) of the gauges, counters and samples. */
function prometheusText(gaugeList: readonly Gauge[], counters: readonly AggregateSample[], samples: readonly AggregateSample[]): string {
  const lines: string[] = [];
  const byName = <T extends { Name: string }>(list: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const x of list) m.set(prometheusName(x.Name), [...(m.get(prometheusName(x.Name)) ?? []), x]);
    return m;
  };
  const num = (v: number) => (Number.isFinite(v) ? String(v) : "NaN");
  for (const [name, list] of byName(gaugeList)) {
    lines.push(`# HELP ${name} ${name}`, `# TYPE ${name} gauge`);
    for (const x of list) lines.push(`${name}${labelText(x.Labels)} ${num(x.Value)}`);
  }
  for (const [name, list] of byName(counters)) {
    lines.push(`# HELP ${name} ${name}`, `# TYPE ${name} counter`);
    for (const x of list) lines.push(`${name}${labelText(x.Labels)} ${num(x.Sum)}`);
  }
  for (const [name, list] of byName(samples)) {
    lines.push(`# HELP ${name} ${name} (milliseconds)`, `# TYPE ${name} summary`);
    for (const x of list) lines.push(`${name}_sum${labelText(x.Labels)} ${num(x.Sum)}`, `${name}_count${labelText(x.Labels)} ${x.Count}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The metrics routes. */
export function metricsRoutes(settings: TelemetrySettings = {}): Route[] {
  return [
    {
      methods: READ,
      pattern: "/v1/metrics",
      // Nomad's metrics endpoint takes no token.
      acl: ACL_NONE,
      handler: (ctx) => {
        const format = ctx.query.get("format");
        const server = ctx.server;
        if (format === "prometheus") {
          if (!settings.prometheusMetrics) throw new CodedError(415, "Prometheus is not enabled");
          const text = prometheusText(gauges(server, settings), server.telemetry.counterList(), server.telemetry.sampleList());
          return {
            body: null,
            stream: async (res) => {
              res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
              res.end(text);
            },
          };
        }
        if (format !== null && format !== "")
          throw badRequest(`unknown metrics format ${JSON.stringify(format)}: expected prometheus, or none for JSON`);
        return {
          body: {
            Timestamp: new Date()
              .toISOString()
              .replace("T", " ")
              .replace(/\.\d+Z$/, " +0000 UTC"),
            Gauges: gauges(server, settings),
            Points: [],
            Counters: server.telemetry.counterList(),
            Samples: server.telemetry.sampleList(),
          },
        };
      },
    },
  ];
}
