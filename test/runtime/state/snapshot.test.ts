/**
 * The snapshot format (state/snapshot.ts) and `StateStore.restore`: a
 * snapshot round-trips every table, damaged or foreign content is refused
 * with a message that says why, and a restore is all or nothing, moves the
 * index forward, wakes blocking queries and ends event subscriptions.
 */
import { gzipSync } from "node:zlib";
import {
  decodeSnapshot,
  decodeSnapshotContent,
  encodeSnapshot,
  SnapshotError,
  StateStore,
  type SnapshotRow,
} from "../../../lib/runtime/state";
import { defaultSchedulerConfiguration, type Evaluation } from "../../../lib/runtime/structs";

function header(index = 7) {
  return {
    Index: index,
    TableIndexes: { evals: index },
    Region: "global",
    CreatedAt: "2026-01-01T00:00:00.000Z",
    AgentVersion: "0.1.0",
    Keyring: [],
  };
}

function evalRow(id: string): Evaluation {
  return {
    ID: id,
    Namespace: "default",
    Priority: 50,
    Type: "service",
    TriggeredBy: "job-register",
    JobID: "web",
    JobModifyIndex: 1,
    Status: "complete",
    StatusDescription: "",
    CreateIndex: 3,
    ModifyIndex: 3,
  } as unknown as Evaluation;
}

/** A store with one evaluation and a scheduler configuration written. */
function storeWithState(): StateStore {
  const store = new StateStore();
  store.write((txn) => txn.putEval(evalRow("e1")));
  store.write((txn) => txn.putSchedulerConfig({ ...defaultSchedulerConfiguration(), SchedulerAlgorithm: "spread" }));
  return store;
}

function contentOf(store: StateStore): Buffer {
  const s = store.snapshot();
  return encodeSnapshot({ ...header(s.index), TableIndexes: s.tableIndexes }, s.rows);
}

describe("snapshot format", () => {
  it("round-trips the rows of every table with the header's counts", () => {
    const store = storeWithState();
    const decoded = decodeSnapshot(gzipSync(contentOf(store)));
    expect(decoded.header).toMatchObject({ Format: "drover-snapshot", Version: 1, Index: 2, Counts: { evals: 1, scheduler_config: 1 } });
    expect(decoded.rows.map((r) => r.table).sort()).toEqual(["evals", "scheduler_config"]);
    expect(JSON.parse(decoded.rows.find((r) => r.table === "evals")!.body).ID).toBe("e1");
  });

  const line = (table: string, id: string, body: string) => `${table}\t${JSON.stringify(id)}\t${body}`;
  /** Content with a valid checksum around whatever header and lines are given. */
  function forged(h: Record<string, unknown>, lines: string[]): Buffer {
    const good = encodeSnapshot(header(), []);
    const valid = JSON.parse(good.toString("utf8").split("\n")[0]);
    const text = [JSON.stringify({ ...valid, ...h }), ...lines].join("\n") + "\n";
    const sum = require("node:crypto").createHash("sha256").update(text).digest("hex");
    return Buffer.from(`${text}#sha256:${sum}\n`);
  }

  it.each([
    ["a newer format version", forged({ Version: 2 }, []), "snapshot format version 2 is newer than this agent reads (version 1)"],
    [
      "a header that is no drover header",
      forged({ Format: "nomad" }, []),
      "not a drover snapshot: it does not start with a drover snapshot header",
    ],
    [
      "a table this agent does not know",
      forged({ Counts: { quotas: 1 } }, [line("quotas", "q", "{}")]),
      'table "quotas" is not one this agent knows',
    ],
    [
      "a row that is not an object",
      forged({ Counts: { evals: 1 } }, [line("evals", "e", "[1]")]),
      "snapshot line 2: the row is not a JSON object",
    ],
    ["a line that is no row", forged({ Counts: {} }, ["evals"]), "snapshot line 2: not a row"],
    ["rows its header does not count", forged({ Counts: {} }, [line("evals", "e", "{}")]), "its header counts 0 rows of evals, it holds 1"],
    [
      "a keyring key that is not 256 bits",
      forged({ Keyring: [{ KeyID: "k", Key: "AAAA", CreateTime: 1 }] }, []),
      "Keyring[0] is not a 256-bit root key",
    ],
  ])("refuses %s", (_what, content, message) => {
    expect(() => decodeSnapshotContent(content)).toThrow(SnapshotError);
    expect(() => decodeSnapshotContent(content)).toThrow(message);
  });
});

describe("StateStore.restore", () => {
  it("replaces every table, one index above both stores, and wakes blocking queries", async () => {
    const source = storeWithState();
    const snap = decodeSnapshot(gzipSync(contentOf(source)));
    const target = new StateStore();
    for (let i = 0; i < 5; i++) target.write((txn) => txn.putEval(evalRow(`t${i}`)));
    const woken = target.waitForChange(["evals"], target.indexOf(["evals"]), 60_000);
    const { index } = target.restore(snap);
    await woken;
    expect(index).toBe(6);
    expect([...target.evals()].map((e) => e.ID)).toEqual(["e1"]);
    expect(target.schedulerConfig().SchedulerAlgorithm).toBe("spread");
    expect(target.indexOf(["jobs"])).toBe(6);
    // The rows keep their own indexes; the next write goes above the restore.
    expect(target.evalByID("e1")?.ModifyIndex).toBe(1);
    expect(target.write((txn) => txn.putEval(evalRow("next"))).index).toBe(7);
  });

  it("ends every event subscription and forgets the buffered events", () => {
    const target = storeWithState();
    const closed: string[] = [];
    target.events.subscribe(
      { topics: new Map([["*", ["*"]]]) },
      () => {},
      () => closed.push("sub"),
    );
    target.restore(decodeSnapshot(gzipSync(contentOf(storeWithState()))));
    expect(closed).toEqual(["sub"]);
    expect(target.events.subscriptions).toBe(0);
    expect(target.events.oldestIndex).toBeUndefined();
  });

  it("is all or nothing: rows that cannot be loaded leave the store as it was", () => {
    const target = storeWithState();
    const before = target.latestIndex();
    const rows: SnapshotRow[] = [{ table: "allocs", id: "a", body: JSON.stringify({ ID: "a" }) }];
    const bad = decodeSnapshot(gzipSync(encodeSnapshot(header(), rows)));
    expect(() => target.restore(bad)).toThrow(/snapshot rows could not be loaded/);
    expect(target.latestIndex()).toBe(before);
    expect([...target.evals()].map((e) => e.ID)).toEqual(["e1"]);
    expect(target.write((txn) => txn.putEval(evalRow("later"))).index).toBe(before + 1);
  });
});
