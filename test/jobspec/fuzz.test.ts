/**
 * Randomized robustness: ~2,000 seeded mutations of Nomad's example job
 * (keys deleted, types changed, nulls, strings, huge numbers, unknown keys
 * inserted). validateJob must answer every one without an internal error,
 * and every mutant it accepts must canonicalize idempotently and purely.
 */
import { isDeepStrictEqual } from "node:util";
import type { Job } from "../../lib/jobspec";
import { JobSchema, canonicalize, formatJobJson, formatPath, validateJob } from "../../lib/jobspec";
import { checkShape } from "../../lib/jobspec/shape";
import { RuleContext } from "../../lib/jobspec/rules/context";
import { fixture } from "./helpers";
// A small seeded PRNG (mulberry32), so that failures reproduce.
import { seededRandom as prng } from "../../lib/runtime/scheduler/context";

type Node = Record<string, unknown> | unknown[];

/** Every object or array inside `v` (including `v`). */
function containers(v: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(v)) {
    out.push(v);
    for (const x of v) containers(x, out);
  } else if (v && typeof v === "object") {
    out.push(v as Record<string, unknown>);
    for (const x of Object.values(v)) containers(x, out);
  }
  return out;
}

const WEIRD: unknown[] = [
  null,
  "",
  "30s",
  "x".repeat(5000),
  -1,
  0,
  1.5,
  2 ** 60,
  Number.MAX_SAFE_INTEGER,
  true,
  [],
  {},
  [null],
  { Unknown: 1 },
  "${attr.kernel.name}",
  -0,
  1e308,
];
const KEYS = ["memorymb", "MemoryMb", "ID", "Tasks", "Name", "Foo", "Count", "Type", "Datacenterz", "__proto__x", "constructor"];

function mutate(job: unknown, rand: () => number): void {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const steps = 1 + Math.floor(rand() * 4);
  for (let s = 0; s < steps; s++) {
    const nodes = containers(job);
    const node = pick(nodes);
    const op = Math.floor(rand() * 5);
    if (Array.isArray(node)) {
      if (node.length === 0 || op === 0) node.push(pick(WEIRD));
      else if (op === 1) node.splice(Math.floor(rand() * node.length), 1);
      else node[Math.floor(rand() * node.length)] = structuredClone(pick(WEIRD));
      continue;
    }
    const keys = Object.keys(node);
    if (op === 0 || keys.length === 0) node[pick(KEYS)] = structuredClone(pick(WEIRD));
    else if (op === 1) delete node[pick(keys)];
    else node[pick(keys)] = structuredClone(pick(WEIRD));
  }
}

describe("randomized mutations of the example job", () => {
  const base = (fixture("json-jobs__syntax__example-job.json") as { Job: unknown }).Job;

  test("validateJob answers every mutant; canonicalize of valid mutants is idempotent and pure", () => {
    const rand = prng(20_260_823);
    let valid = 0;
    let invalid = 0;
    for (let i = 0; i < 2000; i++) {
      const job = structuredClone(base);
      mutate(job, rand);
      const snapshot = JSON.stringify(job);
      const r = validateJob(i % 2 === 0 ? job : { Job: job });
      if (!r.valid) {
        invalid++;
        if (r.problems.length === 0) throw new Error(`mutant ${i}: invalid without problems`);
        const internal = r.problems.filter((p) => p.rule === "internal");
        if (internal.length > 0) throw new Error(`mutant ${i} hit an internal error: ${internal[0].message}\n${snapshot.slice(0, 2000)}`);
        const stray = r.problems.find((p) => !(p.path.startsWith("Job") || p.segments.length === 1));
        if (stray) throw new Error(`mutant ${i}: problem without a job path: ${JSON.stringify(stray)}`);
      } else {
        valid++;
        const once = canonicalize(r.job as Job);
        const twice = canonicalize(once);
        if (formatJobJson(once) !== formatJobJson(twice) || !isDeepStrictEqual(once, twice))
          throw new Error(`mutant ${i}: canonicalize is not idempotent\n${snapshot.slice(0, 2000)}`);
      }
      if (JSON.stringify(job) !== snapshot) throw new Error(`mutant ${i}: validateJob or canonicalize modified its input`);
    }
    // The mutations must exercise both outcomes for the test to mean anything.
    expect(valid).toBeGreaterThan(100);
    expect(invalid).toBeGreaterThan(100);
  });

  test("the compiled shape pass reports exactly what the zod schemas report", () => {
    const rand = prng(1234);
    let disagreements = 0;
    let withTypeErrors = 0;
    for (let i = 0; i < 1000; i++) {
      const job = structuredClone(base) as Record<string, unknown>;
      mutate(job, rand);
      const zod = JobSchema.safeParse(job);
      const zodLines = zod.success
        ? []
        : zod.error.issues
            .filter((x) => x.code !== "unrecognized_keys")
            .map((x) => `${formatPath(["Job", ...(x.path as (string | number)[])])}: ${x.message}`);
      const zodUnknown = zod.success
        ? []
        : zod.error.issues.filter((x) => x.code === "unrecognized_keys").flatMap((x) => (x as unknown as { keys: string[] }).keys);
      const ctx = new RuleContext();
      checkShape(ctx, job);
      const ours = ctx.problems.filter((p) => p.rule === "schema.type").map((p) => `${p.path}: ${p.message}`);
      const ourKeys = ctx.problems.filter((p) => p.rule?.startsWith("key.")).map((p) => String(p.segments[p.segments.length - 1]));
      if (zodLines.length > 0) withTypeErrors++;
      if (
        JSON.stringify([...zodLines].sort()) !== JSON.stringify([...ours].sort()) ||
        JSON.stringify([...zodUnknown].sort()) !== JSON.stringify([...ourKeys].sort())
      ) {
        disagreements++;
        if (disagreements === 1) expect({ i, ours, ourKeys }).toEqual({ i, ours: zodLines, ourKeys: zodUnknown });
      }
    }
    expect(disagreements).toBe(0);
    expect(withTypeErrors).toBeGreaterThan(200);
  });

  test("canonicalize never throws on schema-valid but rule-invalid jobs", () => {
    const rand = prng(7);
    for (let i = 0; i < 300; i++) {
      const job = structuredClone(base) as Record<string, unknown>;
      mutate(job, rand);
      expect(() => canonicalize(job as Job)).not.toThrow();
    }
  });
});
