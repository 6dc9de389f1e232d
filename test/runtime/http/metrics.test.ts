/**
 * `GET /v1/metrics`: Nomad's JSON shape with `nomad.*` names, and the
 * Prometheus text format read back by a real parser
 * (parse-prometheus-text-format), gated by the telemetry block.
 */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

// The parser ships no types: its result is a list of metric families.
interface Family {
  name: string;
  help: string;
  type: "GAUGE" | "COUNTER" | "SUMMARY" | "HISTOGRAM" | "UNTYPED";
  metrics: { value?: string; labels?: Record<string, string>; count?: string; sum?: string }[];
}
const parsePrometheus = require("parse-prometheus-text-format") as (text: string) => Family[];

type Obj = Record<string, any>;

describe("metrics", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 2, client: false, telemetry: { prometheusMetrics: true, publishNodeMetrics: true } });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("metered", { count: 3 }) });
    await waitFor("three running allocations", async () => {
      const s = (await api(t.address, "GET", "/v1/job/metered/summary")).body;
      return s?.Summary?.web?.Running === 3 ? s : null;
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("answers Nomad's JSON shape: gauges of the broker, job summaries and client allocations, samples of plan submission", async () => {
    const r = await api(t.address, "GET", "/v1/metrics");
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(["Counters", "Gauges", "Points", "Samples", "Timestamp"]);
    const gauge = (name: string, labels: Obj = {}) =>
      (r.body.Gauges as Obj[]).find((g) => g.Name === name && Object.entries(labels).every(([k, v]) => g.Labels[k] === v));
    expect(gauge("nomad.nomad.broker.total_ready")).toMatchObject({ Labels: {} });
    expect(gauge("nomad.nomad.job_summary.running", { job: "metered", task_group: "web", namespace: "default" })?.Value).toBe(3);
    expect(gauge("nomad.nomad.job_status.running")?.Value).toBe(1);
    expect(gauge("nomad.runtime.alloc_bytes")?.Value).toBeGreaterThan(0);
    const running = (r.body.Gauges as Obj[]).filter((g) => g.Name === "nomad.client.allocations.running").reduce((n, g) => n + g.Value, 0);
    expect(running).toBe(3);
    const submit = (r.body.Samples as Obj[]).find((s) => s.Name === "nomad.nomad.plan.submit");
    expect(submit).toMatchObject({ Labels: {} });
    expect(submit!.Count).toBeGreaterThanOrEqual(1);
    expect(Object.keys(submit!).sort()).toEqual(["Count", "Labels", "Max", "Mean", "Min", "Name", "Rate", "Stddev", "Sum"]);
  });

  it("?format=prometheus is the Prometheus text format: a real parser reads every family, with labels", async () => {
    const res = await fetch(`${t.address}/v1/metrics?format=prometheus`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const families = parsePrometheus(await res.text());
    const family = (name: string) => families.find((f) => f.name === name);
    const ready = family("nomad_nomad_broker_total_ready")!;
    expect(ready.type).toBe("GAUGE");
    expect(ready.metrics).toHaveLength(1);
    expect(Number(ready.metrics[0].value)).toBeGreaterThanOrEqual(0);
    const summary = family("nomad_nomad_job_summary_running")!;
    expect(summary.type).toBe("GAUGE");
    expect(summary.metrics).toContainEqual({ value: "3", labels: { job: "metered", namespace: "default", task_group: "web" } });
    const submit = family("nomad_nomad_plan_submit")!;
    expect(submit.type).toBe("SUMMARY");
    expect(Number(submit.metrics[0].count)).toBeGreaterThanOrEqual(1);
    expect(family("nomad_client_allocations_running")!.metrics).toHaveLength(2);
  });

  it("refuses Prometheus output when the telemetry block does not enable it, as Nomad does", async () => {
    const off = await startTestAgent({ simNodes: 0, client: false });
    try {
      const r = await api(off.address, "GET", "/v1/metrics?format=prometheus");
      expect(r.status).toBe(415);
      expect(r.text).toBe("Prometheus is not enabled");
      const json = await api(off.address, "GET", "/v1/metrics");
      expect((json.body.Gauges as Obj[]).some((g) => g.Name.startsWith("nomad.client."))).toBe(false);
    } finally {
      await off.stop();
    }
  });
});
