import { NomadClient, watch, WatchTimeoutError } from "../../lib/api";
import type { Evaluation } from "../../lib/api";
import { FakeNomad } from "./fake-nomad";

describe("watch (blocking queries)", () => {
  let fake: FakeNomad;
  let client: NomadClient;
  beforeEach(async () => {
    fake = await new FakeNomad().start();
    client = new NomadClient({ address: fake.address });
  });
  afterEach(async () => {
    await client.close();
    await fake.stop();
  });

  it("passes the previous X-Nomad-Index back until the predicate holds", async () => {
    const statuses = ["pending", "pending", "complete"];
    let n = 0;
    fake.on("GET", "/v1/evaluation/e1", () => {
      const i = Math.min(n++, statuses.length - 1);
      return { body: { ID: "e1", Status: statuses[i] }, headers: { "X-Nomad-Index": String(10 + i) } };
    });
    const res = await watch<Evaluation>((q) => client.evaluations.info("e1", q), {
      until: (e) => e.Status === "complete",
      wait: 2000,
      timeoutMs: 5000,
    });
    expect(res.data.Status).toBe("complete");
    expect(fake.to("/v1/evaluation/e1").map((r) => r.query.get("index"))).toEqual([null, "10", "11"]);
    expect(fake.to("/v1/evaluation/e1")[1].query.get("wait")).toBe("2000ms");
  });

  it("stops at its deadline with a WatchTimeoutError carrying the last answer", async () => {
    fake.on("GET", "/v1/evaluation/e2", { body: { ID: "e2", Status: "pending" }, headers: { "X-Nomad-Index": "5" } });
    const err = await watch<Evaluation>((q) => client.evaluations.info("e2", q), {
      until: (e) => e.Status === "complete",
      timeoutMs: 300,
      pollIntervalMs: 50,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WatchTimeoutError);
    expect((err as WatchTimeoutError).last).toEqual({ ID: "e2", Status: "pending" });
    // Polled, not spun: an unchanged index waits pollIntervalMs between rounds.
    expect(fake.to("/v1/evaluation/e2").length).toBeLessThanOrEqual(8);
  });

  it("ends when the caller aborts", async () => {
    fake.on("GET", "/v1/evaluation/e3", { body: { ID: "e3", Status: "pending" }, headers: { "X-Nomad-Index": "5" }, delayMs: 2000 });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error("user cancelled")), 50);
    await expect(
      watch<Evaluation>((q) => client.evaluations.info("e3", q), { until: () => false, signal: ctl.signal, timeoutMs: 5000 }),
    ).rejects.toThrow("user cancelled");
  });
});
