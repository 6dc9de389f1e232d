/**
 * The layering of lib/runtime, checked on the source: no import cycle between
 * its folders, and state/ imports nothing from scheduler/ (in Nomad the
 * scheduler depends on state, never the reverse). Type-only imports count:
 * a folder that needs another's types depends on it.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const RUNTIME = path.join(__dirname, "..", "..", "..", "lib", "runtime");

/** Every .ts file under `dir`. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** The relative module specifiers a file imports or re-exports (static and `require`/`import()` with a literal). */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specs: string[] = [];
  const re = /(?:\bfrom\s+|\bimport\s+|\brequire\(\s*|\bimport\(\s*)["'](\.[^"']*)["']/g;
  for (let m = re.exec(text); m; m = re.exec(text)) specs.push(m[1]);
  return specs;
}

/** The lib/runtime folder of a file ("" for files at its top level). */
function folderOf(file: string): string {
  const rel = path.relative(RUNTIME, file);
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : "";
}

/** Folder → folders it imports from (inside lib/runtime), with one example import each. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(RUNTIME)) {
    const from = folderOf(file);
    if (from === "") continue; // agent.ts, config.ts and index.ts sit on top and construct everything
    for (const spec of relativeImports(file)) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(RUNTIME + path.sep)) continue;
      const to = folderOf(fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, "index.ts") : target + ".ts");
      if (to === from || to === "") continue;
      let edges = graph.get(from);
      if (!edges) graph.set(from, (edges = new Map()));
      if (!edges.has(to)) edges.set(to, `${path.relative(RUNTIME, file)} → ${spec}`);
    }
  }
  return graph;
}

/** One cycle of the graph as a list of folders, or null. */
function findCycle(graph: Map<string, Map<string, string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, "open");
    stack.push(n);
    for (const m of graph.get(n)?.keys() ?? []) {
      if (state.get(m) === "open") return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, "done");
    return null;
  };
  for (const n of [...graph.keys()].sort()) {
    if (state.has(n)) continue;
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

describe("lib/runtime layering", () => {
  const graph = folderGraph();

  it("has no import cycle between its folders", () => {
    const cycle = findCycle(graph);
    const explain = cycle ? cycle.slice(0, -1).map((f, i) => `${f} → ${cycle[i + 1]} (${graph.get(f)!.get(cycle[i + 1])})`) : [];
    expect(explain).toEqual([]);
  });

  it("keeps state/ free of scheduler/ imports", () => {
    expect(graph.get("state")?.get("scheduler")).toBeUndefined();
  });

  it("keeps the bottom layers at the bottom: state/ builds on structs/ alone, structs/ on no other folder", () => {
    expect([...(graph.get("state")?.keys() ?? [])]).toEqual(["structs"]);
    expect([...(graph.get("structs")?.keys() ?? [])]).toEqual([]);
  });

  it("sees the imports it checks", () => {
    // Guards against a parser that finds nothing (and so passes vacuously): the scheduler does read state.
    expect(graph.get("scheduler")?.has("structs")).toBe(true);
    expect(graph.get("http")?.has("server")).toBe(true);
  });
});
