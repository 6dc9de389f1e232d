/** The state store's table abstraction: primary key, secondary indexes (re-keyed rows, dropped keys, order), row counts. */
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
    expect(t.index("owner").get("x").map((r) => r.ID)).toEqual(["a", "b"]);
    t.put({ ID: "a", Owner: "y", Rank: 1 });
    expect(t.index("owner").get("x").map((r) => r.ID)).toEqual(["b"]);
    expect(t.index("owner").get("y").map((r) => r.ID)).toEqual(["a"]);
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
    expect(t.index("ranked").get("x").map((r) => r.ID)).toEqual(["c", "b", "a"]);
    expect(t.index("owner").get("x").map((r) => r.ID)).toEqual(["a", "b", "c"]);
  });

  it("drops a whole key from an index while the rows stay in the table", () => {
    const t = table();
    t.put({ ID: "a", Owner: "x", Rank: 1 });
    t.put({ ID: "b", Owner: "x", Rank: 2 });
    const before = t.index("owner").get("x");
    t.index("owner").dropKey("x");
    expect(t.index("owner").get("x")).toEqual([]);
    expect(before.map((r) => r.ID)).toEqual(["a", "b"]); // an array handed out earlier is not changed under its reader
    expect(t.size).toBe(2);
    t.put({ ID: "a", Owner: "x", Rank: 5 });
    expect(t.index("owner").get("x").map((r) => r.ID)).toEqual(["a"]);
  });
});
