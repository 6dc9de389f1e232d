/**
 * Bad input never escapes as a bare exception: mutated and truncated job
 * files (seeded, so every run is the same) come back as a job or as
 * diagnostics that carry a file, line and column.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseJobHcl } from "../../lib/jobspec/hcl";
import { FIXTURES } from "./helpers";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

const SOURCES = [
  "command-asset/example.nomad.hcl",
  "legacy-jobspec-hcl1/basic.hcl",
  "e2e/lifecycle__service.nomad",
  "jobspec2/config-compatibility.hcl",
].map((f) => fs.readFileSync(path.join(FIXTURES, f), "utf8"));
SOURCES.push(
  JSON.stringify(
    {
      variable: { v: { default: "x" } },
      job: { j: { meta: { a: "${var.v}" }, group: { g: { count: 2, task: { t: { driver: "docker", config: { image: "i" } } } } } } },
    },
    null,
    2,
  ),
);
const PIECES = [
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  '"',
  "${",
  '":',
  "\\u",
  "null",
  "%{",
  "}",
  "=",
  "\n",
  "<<EOF\n",
  "/*",
  "#",
  "...",
  "?",
  ":",
  "=>",
  "for",
  "if",
  "\\",
  "~",
  "*",
  ".",
  ",",
  "-",
  "1e",
  "\u00e9",
  "\u0000",
];

describe("robustness", () => {
  it("mutated job files give a job or positioned diagnostics, never an exception", () => {
    const next = rng(42);
    let diagnosed = 0;
    for (let n = 0; n < 400; n++) {
      let src = SOURCES[n % SOURCES.length];
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * src.length);
        const kind = next();
        if (kind < 0.3) src = src.slice(0, at);
        else if (kind < 0.65) src = src.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + src.slice(at);
        else src = src.slice(0, at) + src.slice(at + 1 + Math.floor(next() * 20));
      }
      const r = parseJobHcl(src, { file: "mutant.hcl" });
      if (!r.job) {
        diagnosed++;
        expect(r.diagnostics.length).toBeGreaterThan(0);
      }
      for (const d of r.diagnostics) {
        expect(d.range.file).toMatch(/mutant\.hcl|<value for/);
        expect(d.range.start.line).toBeGreaterThanOrEqual(1);
        expect(d.range.start.column).toBeGreaterThanOrEqual(1);
        expect(d.summary.length).toBeGreaterThan(0);
      }
    }
    expect(diagnosed).toBeGreaterThan(100);
  });

  it("deep nesting is a diagnostic", () => {
    const deep = `job "d" {\n  meta = { a = ${"[".repeat(50000)}${"]".repeat(50000)} }\n}\n`;
    const r = parseJobHcl(deep, { file: "deep.hcl" });
    expect(r.job).toBeUndefined();
    expect(r.diagnostics[0].range.file).toBe("deep.hcl");
    const blocks = `job "d" {\n${"config {\n".repeat(20000)}${"}\n".repeat(20000)}}\n`;
    expect(parseJobHcl(blocks, { file: "blocks.hcl" }).job).toBeUndefined();
  });
});
