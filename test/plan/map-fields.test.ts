/**
 * The DSL (locating a problem in the user's props) and the plan (showing a
 * map key by key) agree on which keys of a job are the user's: both read it
 * from lib/jobspec's model. One case per map or open object of the model.
 */
import { JOB_MODEL, fieldAtPath, userKeysOf } from "../../lib/jobspec";
import type { BlockModel, FieldKind } from "../../lib/jobspec";
import { RenderContext } from "../../lib/dsl/render-context";
import { diffJobs, UNCOMPARED_JOB_FIELDS } from "../../lib/plan/diff";

type Path = (string | number)[];

/** Every path from the job to a field holding user keys, through list element 0 and map key "m". */
function userKeyedFields(): { path: Path; field: FieldKind }[] {
  const out: { path: Path; field: FieldKind }[] = [];
  const visit = (block: BlockModel, path: Path, onPath: Set<BlockModel>) => {
    if (onPath.has(block)) return;
    const inner = new Set(onPath).add(block);
    for (const [key, field] of block.fields) {
      const at = [...path, key];
      if (field.kind === "scalarMap" || field.kind === "opaque") out.push({ path: at, field });
      if (field.kind === "map") {
        out.push({ path: at, field });
        visit(field.block, [...at, "m"], inner);
      }
      if (field.kind === "block") visit(field.block, at, inner);
      if (field.kind === "list") visit(field.block, [...at, 0], inner);
    }
  };
  visit(JOB_MODEL, [], new Set());
  return out;
}

/** A job with `leaf` at `path`, every list on the way holding one element. */
function jobWith(path: Path, leaf: unknown): Record<string, unknown> {
  const build = (i: number): unknown => {
    if (i === path.length) return leaf;
    const seg = path[i];
    const child = build(i + 1);
    return typeof seg === "number" ? [child] : { [seg]: child };
  };
  return build(0) as Record<string, unknown>;
}

/** A value for a user key of `field`. */
function entryOf(field: FieldKind): unknown {
  if (field.kind === "map") return { Type: "host" };
  if (field.kind === "scalarMap") return field.valueList ? ["v"] : "v";
  return "v";
}

const cases = userKeyedFields().filter((c) => !UNCOMPARED_JOB_FIELDS.has(String(c.path[0])));

test("the model has the maps and open objects both users knew by name", () => {
  const names = new Set(cases.map((c) => c.path[c.path.length - 1]));
  for (const key of [
    "Env",
    "Meta",
    "Config",
    "CanaryMeta",
    "TaggedAddresses",
    "GetterOptions",
    "GetterHeaders",
    "Header",
    "Policy",
    "Volumes",
  ])
    expect(names).toContain(key);
  expect(cases.length).toBeGreaterThan(20);
});

describe.each(cases.map((c) => [c.path.join("."), c] as const))("%s", (_name, { path, field }) => {
  test("the model walk finds the field and calls its keys the user's", () => {
    expect(fieldAtPath(path)).toBe(field);
    const keys = userKeysOf([...path, "MyKey"]);
    expect(keys[keys.length - 1]).toBe(true);
    expect(keys.slice(0, -1).filter((k, i) => k && path[i] !== "m")).toEqual([]);
  });

  test("the DSL keeps the key as written and the plan shows it key by key", () => {
    const prop = new RenderContext().locate([...path, "MyKey"]).prop;
    expect(prop.endsWith(".MyKey")).toBe(true);

    const desired = jobWith([...path, "MyKey"], entryOf(field));
    const live = jobWith(path, null);
    const changes = diffJobs(desired, live);
    expect(changes.map((c) => ({ kind: c.kind, last: c.segments[c.segments.length - 1] }))).toEqual([{ kind: "add", last: "MyKey" }]);
  });
});
