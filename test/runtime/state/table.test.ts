/** The state store's table abstraction: primary key, secondary indexes (re-keyed rows, rows indexed again, order), row counts. */
import { Table } from "../../../lib/runtime/state";

interface Row {
  ID: string;
  Owner: string;
  Rank: number;
}

function table(): Table<Row, "owner" | "ranked"> {
  return new Table<Row, "owner" | "ranked">({
    name: "evals",
    id: (r) => r.ID,
    indexes: {
      owner: { key: (r) => r.Owner },
      ranked: { key: (r) => r.Owner, order: (a, b) => b.Rank - a.Rank },
    },
  });
}

describe("Table", () => {
  it("keeps rows by primary key and replaces a row written again", () => {
    const t = table();
    expect(t.put({ ID: "a", Owner: "x", Rank: 1 })).toBeUndefined();
    const old = t.get("a");
    expect(t.put({ ID: "a", Owner: "x", Rank: 2 })).toBe(old);
    expect(t.size).toBe(1);
    expect(t.get("a")?.Rank).toBe(2);
    expect(t.delete("a")?.Rank).toBe(2);
    expect(t.has("a")).toBe(false);
    expect(t.delete("a")).toBeUndefined();
  });

  it("moves a row between index keys when its key changes, and leaves out rows without a key", () => {
    const t = table();
    t.put({ ID: "a", Owner: "x", Rank: 1 });
    t.put({ ID: "b", Owner: "x", Rank: 2 });
    t.put({ ID: "c", Owner: "", Rank: 3 });
    expect(
      t
        .index("owner")
        .get("x")
        .map((r) => r.ID),
    ).toEqual(["a", "b"]);
    t.put({ ID: "a", Owner: "y", Rank: 1 });
    expect(
      t
        .index("owner")
        .get("x")
        .map((r) => r.ID),
    ).toEqual(["b"]);
    expect(
      t
        .index("owner")
        .get("y")
        .map((r) => r.ID),
    ).toEqual(["a"]);
    expect([...t.index("owner").keys()].sort()).toEqual(["x", "y"]);
    t.delete("b");
    expect(t.index("owner").get("x")).toEqual([]);
    expect(t.index("owner").count("x")).toBe(0);
  });

  it("orders an index's rows when told to, newest written first among equals", () => {
    const t = table();
    t.put({ ID: "a", Owner: "x", Rank: 1 });
    t.put({ ID: "b", Owner: "x", Rank: 3 });
    t.put({ ID: "c", Owner: "x", Rank: 3 });
    expect(
      t
        .index("ranked")
        .get("x")
        .map((r) => r.ID),
    ).toEqual(["c", "b", "a"]);
    expect(
      t
        .index("owner")
        .get("x")
        .map((r) => r.ID),
    ).toEqual(["a", "b", "c"]);
  });

  it("indexes a row again when what its key reads has changed, and leaves arrays handed out earlier alone", () => {
    let hidden = new Set<string>();
    const t = new Table<Row, "visible">({
      name: "jobs",
      id: (r) => r.ID,
      indexes: { visible: { key: (r) => (hidden.has(r.ID) ? undefined : r.Owner) } },
    });
    t.put({ ID: "a", Owner: "x", Rank: 1 });
    t.put({ ID: "b", Owner: "x", Rank: 2 });
    const before = t.index("visible").get("x");
    hidden = new Set(["a"]);
    expect(
      t
        .index("visible")
        .get("x")
        .map((r) => r.ID),
    ).toEqual(["a", "b"]); // not until it is indexed again
    t.reindex("a");
    expect(
      t
        .index("visible")
        .get("x")
        .map((r) => r.ID),
    ).toEqual(["b"]);
    expect(before.map((r) => r.ID)).toEqual(["a", "b"]);
    expect(t.size).toBe(2);
    hidden = new Set();
    t.reindex("a");
    expect(
      t
        .index("visible")
        .get("x")
        .map((r) => r.ID),
    ).toEqual(["b", "a"]);
  });
});
