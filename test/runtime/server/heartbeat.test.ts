import { HeartbeatTracker } from "../../../lib/runtime/server/heartbeat";
import { FakeClock } from "../../helpers/fake-clock";

describe("HeartbeatTracker", () => {
  it("hands out max(minTTL, n/rate) plus a stagger and expires silent nodes after TTL + grace", () => {
    const clock = new FakeClock();
    const expired: string[] = [];
    const hb = new HeartbeatTracker(
      clock,
      (ids) => expired.push(...ids),
      { minTTLMs: 10_000, graceMs: 10_000, sweepMs: 500 },
      () => 0.5,
    );
    const ttl = hb.reset("n1");
    expect(ttl).toBe(15_000);
    clock.advance(24_999);
    expect(expired).toEqual([]);
    clock.advance(1_000);
    expect(expired).toEqual(["n1"]);
    expect(hb.has("n1")).toBe(false);
  });

  it("scales the TTL with the number of nodes (10,000 nodes at 50/s: 200 s)", () => {
    const hb = new HeartbeatTracker(
      new FakeClock(),
      () => {},
      {},
      () => 0,
    );
    hb.resetMany(Array.from({ length: 10_000 }, (_, i) => `n${i}`));
    expect(hb.baseTTLMs()).toBe(200_000);
    hb.stop();
  });

  it("keeps nodes that heartbeat alive", () => {
    const clock = new FakeClock();
    const expired: string[] = [];
    const hb = new HeartbeatTracker(
      clock,
      (ids) => expired.push(...ids),
      { minTTLMs: 1000, graceMs: 500, sweepMs: 100 },
      () => 0,
    );
    hb.resetMany(["a", "b"]);
    for (let i = 0; i < 10; i++) {
      clock.advance(900);
      hb.resetMany(["a"]);
    }
    expect(expired).toEqual(["b"]);
    expect(hb.has("a")).toBe(true);
    hb.stop();
  });
});
