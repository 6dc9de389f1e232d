/**
 * Positions of validation problems in HCL job files: every schema and rule
 * problem of a job read from HCL points at the attribute or block it
 * concerns. Tested on fixture files broken on purpose, one line each, and on
 * the fixtures that have rule errors of their own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateJob } from "../../lib/jobspec";
import { hclRangeAt, parseJobHcl } from "../../lib/jobspec/hcl";
import { FIXTURES } from "./helpers";

function hclFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return hclFiles(p);
    return /\.(hcl|nomad)$/.test(e.name) ? [p] : [];
  });
}

/** Validates HCL text; the problems with the line each points at. */
function problems(text: string, file: string): { path: string; line: number | undefined; message: string }[] | undefined {
  const r = parseJobHcl(text, { file, baseDir: path.dirname(file), env: {} });
  if (!r.job) return undefined;
  const v = validateJob(r.job);
  if (v.valid) return [];
  const job = r.job;
  return v.problems.map((p) => ({ path: p.path, line: hclRangeAt(job, p.segments)?.start.line, message: p.message }));
}

/** Breaks one attribute on purpose: which lines to match and what to write instead. */
const BREAKS: { name: string; line: RegExp; replace: (l: string) => string }[] = [
  { name: "a negative count", line: /^\s*count\s*=\s*\d+\s*$/, replace: (l) => l.replace(/\d+/, "-1") },
  {
    name: "a restart mode that does not exist",
    line: /^\s*mode\s*=\s*"(delay|fail)"\s*$/,
    replace: (l) => l.replace(/"(delay|fail)"/, '"fial"'),
  },
  { name: "a priority above 100", line: /^\s*priority\s*=\s*\d+\s*$/, replace: (l) => l.replace(/\d+/, "500") },
  { name: "too little memory", line: /^\s*memory\s*=\s*\d+\s*$/, replace: (l) => l.replace(/\d+/, "5") },
  { name: "no CPU", line: /^\s*cpu\s*=\s*\d+\s*$/, replace: (l) => l.replace(/\d+/, "0") },
  { name: "a misspelled docker image key", line: /^\s*image\s*=\s*"[^"]*"\s*$/, replace: (l) => l.replace("image", "imag") },
  {
    name: "an unknown job type",
    line: /^\s*type\s*=\s*"(service|batch|system|sysbatch)"\s*$/,
    replace: (l) => l.replace(/"\w+"/, '"servce"'),
  },
  { name: "negative restart attempts", line: /^\s*attempts\s*=\s*\d+\s*$/, replace: (l) => l.replace(/\d+/, "-1") },
];

describe("positions of problems in HCL job files", () => {
  const files = hclFiles(FIXTURES);
  const clean = files.filter((f) => {
    const ps = problems(fs.readFileSync(f, "utf8"), f);
    return ps !== undefined && ps.length === 0;
  });

  // Each fixture broken at most once per kind of break: the first line that matches.
  const cases = clean.flatMap((file) => {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    return BREAKS.flatMap((b) => {
      const i = lines.findIndex((l) => b.line.test(l));
      if (i < 0) return [];
      const broken = [...lines];
      broken[i] = b.replace(lines[i]);
      return [{ file: path.relative(FIXTURES, file), break: b.name, line: i + 1, text: broken.join("\n") }];
    });
  });

  test("at least 20 broken files are derived from the fixtures", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  test("every deliberately broken file reports a problem at the broken line", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const c of cases) {
      const ps = problems(c.text, c.file);
      // Not counted: a break the HCL decoder itself refuses (with its own position), or one Nomad does not check there (a sidecar_task's resources).
      if (ps === undefined || ps.length === 0) continue;
      checked++;
      if (!ps.some((p) => p.line === c.line))
        wrong.push(`${c.file} (${c.break}): expected line ${c.line}; got ${ps.map((p) => `${p.path} at ${p.line}`).join(", ")}`);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  test("every fixture with rule errors of its own reports a line for each problem", () => {
    const unplaced: string[] = [];
    for (const f of files) {
      const ps = problems(fs.readFileSync(f, "utf8"), f);
      for (const p of ps ?? []) if (p.line === undefined) unplaced.push(`${path.relative(FIXTURES, f)}: ${p.path}: ${p.message}`);
    }
    expect(unplaced).toEqual([]);
  });

  test("the issue's example: FILE:LINE:COL and the range of the attribute", () => {
    const text = [
      'job "web" {',
      '  group "g" {',
      "    restart {",
      '      mode = "fial"',
      "    }",
      '    task "t" {',
      '      driver = "docker"',
      '      config { image = "x" }',
      "    }",
      "  }",
      "}",
    ].join("\n");
    const r = parseJobHcl(text, { file: "web.nomad.hcl", env: {} });
    const v = validateJob(r.job);
    expect(v.valid).toBe(false);
    const p = v.valid ? undefined : v.problems.find((x) => x.path === "Job.TaskGroups[0].RestartPolicy.Mode");
    expect(p?.message).toContain('"fial"');
    const range = hclRangeAt(r.job, p!.segments)!;
    expect([range.file, range.start.line, range.start.column, range.end.line, range.end.column]).toEqual(["web.nomad.hcl", 4, 7, 4, 20]);
  });
});
