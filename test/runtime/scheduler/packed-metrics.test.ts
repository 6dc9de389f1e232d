/**
 * Packed placement metrics: the top scores kept in reused slots and packed
 * into a PlacementMetric read back (and serialize) exactly as the plain
 * `scoreNode` list Nomad's shape describes.
 */
import { newAllocMetric } from "../../../lib/runtime/structs";
import { Harness, mockJob, mockNode } from "../../../lib/runtime/scheduler";
import { PlacementMetric, TopScores, scoreNode } from "../../../lib/runtime/scheduler/metrics";
import { seededRandom } from "../../../lib/runtime/scheduler/context";

const NAMES = ["binpack", "job-anti-affinity", "node-affinity", "allocation-spread", "node-reschedule-penalty"];

describe("PlacementMetric and TopScores", () => {
  it("keep the same top five, in the same order and with the same ties, as scoreNode", () => {
    const random = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      const plain = newAllocMetric();
      const top = new TopScores();
      const packed = new PlacementMetric();
      const nodes = 1 + Math.floor(random() * 30);
      for (let i = 0; i < nodes; i++) {
        const k = 1 + Math.floor(random() * NAMES.length);
        const names = NAMES.slice(0, k);
        // Coarse scores make ties frequent.
        const scores = names.map(() => Math.round(random() * 4) / 4 - 0.25);
        const norm = scores.reduce((s, x) => s + x, 0) / scores.length;
        scoreNode(plain, `node-${i}`, names, scores, norm);
        top.offer(`node-${i}`, names, scores, norm);
      }
      packed.setTopScores(top);
      expect(packed.ScoreMetaData).toEqual(plain.ScoreMetaData);
      expect(JSON.parse(JSON.stringify(packed))).toEqual(JSON.parse(JSON.stringify(plain)));
      top.clear();
    }
  });

  it("has no score metadata until scores are set, and stores an assigned list as is", () => {
    const m = new PlacementMetric();
    expect(m.ScoreMetaData).toBeNull();
    expect(JSON.parse(JSON.stringify(m)).ScoreMetaData).toBeNull();
    const list = [{ NodeID: "n1", Scores: { binpack: 0.5 }, NormScore: 0.5 }];
    m.ScoreMetaData = list;
    expect(m.ScoreMetaData).toBe(list);
    expect(Object.keys(JSON.parse(JSON.stringify(m))).sort()).toEqual(Object.keys(newAllocMetric()).sort());
  });

  it("placed allocations carry the placement's top scores in Nomad's JSON shape", () => {
    const h = new Harness();
    for (let i = 0; i < 8; i++) h.upsertNode(mockNode());
    const job = h.upsertJob(mockJob({ group: { Count: 3, Networks: null } }));
    h.run(job);
    for (const a of h.liveAllocs("default", job.ID)) {
      const json = JSON.parse(JSON.stringify(a.Metrics));
      expect(json.ScoreMetaData.length).toBeGreaterThan(0);
      expect(json.ScoreMetaData.length).toBeLessThanOrEqual(5);
      expect(json.ScoreMetaData[0].NodeID).toBe(a.NodeID);
      expect(Object.keys(json.ScoreMetaData[0].Scores)).toContain("binpack");
      expect(json.NodesEvaluated).toBeGreaterThan(0);
    }
  });
});
