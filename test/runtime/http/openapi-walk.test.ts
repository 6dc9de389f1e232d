/**
 * Walks every path and method of Nomad's OpenAPI file against the included
 * runtime. A path the runtime does not serve (the router's `404 page not
 * found`, or `405 Invalid method` for a method it does not serve) must be
 * listed in lib/runtime/README.md's "Not implemented" table with a reason:
 * that table is the one place that says what is missing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { request } from "undici";
import { REPO_ROOT, startTestAgent, type TestAgent } from "../../helpers/runtime";

const OPENAPI = path.join(__dirname, "fixtures", "openapi.yaml");
const RUNTIME_README = path.join(REPO_ROOT, "lib", "runtime", "README.md");

/** One operation of the OpenAPI file: an upper-case method and a path under /v1 with `{param}` segments. */
interface Operation {
  method: string;
  path: string;
}

/** Reads the operations from the `paths:` section (two-space path keys, four-space method keys). */
function openApiOperations(yaml: string): Operation[] {
  const ops: Operation[] = [];
  let inPaths = false;
  let current: string | undefined;
  for (const line of yaml.split("\n")) {
    if (/^\S/.test(line)) {
      inPaths = line.startsWith("paths:");
      current = undefined;
      continue;
    }
    if (!inPaths) continue;
    const p = /^ {2}(\/\S*):\s*$/.exec(line);
    if (p) {
      current = p[1];
      continue;
    }
    const m = /^ {4}(get|put|post|delete|head|patch):\s*$/.exec(line);
    if (m && current) ops.push({ method: m[1].toUpperCase(), path: `/v1${current}` });
  }
  return ops;
}

/**
 * Reads the README's "Not implemented" table: rows of
 * `` | `METHOD /v1/path` | reason | ``, with paths written with `{param}` as in the OpenAPI file.
 */
function notImplementedTable(readme: string): Map<string, string> {
  const start = readme.indexOf("### Not implemented");
  if (start < 0) throw new Error(`${RUNTIME_README} has no "### Not implemented" section`);
  const rest = readme.slice(start).split("\n").slice(1);
  const table = new Map<string, string>();
  for (const line of rest) {
    if (line.startsWith("#")) break;
    const m = /^\|\s*`((?:GET|PUT|POST|DELETE) \/v1\/\S+)`\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (m) {
      if (!m[2]) throw new Error(`${m[1]} is listed as not implemented without a reason`);
      table.set(m[1], m[2]);
    }
  }
  return table;
}

/** A path with its parameters filled in with values that name nothing. */
function concrete(p: string): string {
  return p.replace(/\{(\w+)\}/g, (_, name: string) => (name === "action" ? "create" : `walk-${name.toLowerCase()}`));
}

describe("the OpenAPI walk", () => {
  let t: TestAgent;
  const operations = openApiOperations(fs.readFileSync(OPENAPI, "utf8"));
  const notImplemented = notImplementedTable(fs.readFileSync(RUNTIME_README, "utf8"));

  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 0 });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("reads the OpenAPI file and the README's table", () => {
    expect(operations.length).toBeGreaterThan(90);
    expect(notImplemented.size).toBeGreaterThan(0);
  });

  it("lists in the table only operations that are in the OpenAPI file", () => {
    const known = new Set(operations.map((o) => `${o.method} ${o.path}`));
    expect([...notImplemented.keys()].filter((k) => !known.has(k))).toEqual([]);
  });

  it("answers every operation that the table does not list, and none that it lists", async () => {
    const missing: string[] = [];
    const listedButServed: string[] = [];
    const failed: string[] = [];
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      const res = await request(`${t.address}${concrete(op.path)}`, {
        method: op.method as "GET",
        body: op.method === "GET" || op.method === "DELETE" ? undefined : "{}",
      });
      const text = await res.body.text();
      const unserved =
        (res.statusCode === 404 && text.trim() === "404 page not found") || (res.statusCode === 405 && text.trim() === "Invalid method");
      if (unserved && !notImplemented.has(key)) missing.push(`${key} -> ${res.statusCode} ${text.trim()}`);
      if (!unserved && notImplemented.has(key)) listedButServed.push(`${key} -> ${res.statusCode}`);
      if (res.statusCode >= 500) failed.push(`${key} -> ${res.statusCode} ${text.trim()}`);
    }
    expect({ missing, failed, listedButServed }).toEqual({ missing: [], failed: [], listedButServed: [] });
  });
});
