/**
 * The round trip over every HCL and JSON job file of the shared fixtures (the
 * job-shaped docs JSON too, among it a read-back job as `nomad job inspect`
 * prints it), test/fixtures/import and the examples' committed JSON: each
 * imports, its program synthesizes the same canonical job (`importSources`
 * runs it and compares), re-importing the program's job gives the same
 * program, the programs pass `tsc --strict` and the project's eslint rules,
 * and `drover synth` reports a problem exactly when the source job itself
 * breaks one of Nomad's rules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateJob } from "../../lib/jobspec";
import { fromApiJson, importSources, isReadBack, readJobText, runProgram } from "../../lib/import";
import type { ImportResult } from "../../lib/import";
import { FIXTURES, jobFiles, lint, REPO, typeCheck } from "./helpers";

/** HCL1 fixtures that Nomad's own parser refuses (test/hcl/fixtures.test.ts lists them): not jobs, nothing to import. */
const NOT_JOBS = new Set(
  [
    "bad-artifact.hcl",
    "basic_wrong_key.hcl",
    "multi-network.hcl",
    "multi-resource.hcl",
    "multi-vault.hcl",
    "service-check-bad-header.hcl",
    "task-scaling-policy-invalid-resource.hcl",
    "task-scaling-policy-invalid-type.hcl",
    "task-scaling-policy-missing-name.hcl",
    "task-scaling-policy-multi-cpu.hcl",
    "task-scaling-policy-multi-name.hcl",
    "tg-scaling-policy-invalid-type.hcl",
    "tg-scaling-policy-missing-max.hcl",
    "tg-scaling-policy-multi-policy.hcl",
    "tg-scaling-policy-with-label.hcl",
  ].map((f) => `hcl/legacy-jobspec-hcl1/${f}`),
);

/** Variables that files need (declared without a default, as the e2e suite passes them). */
const NEEDS_VARS: Record<string, string[]> = {
  "hcl/e2e/task_schedule__schedule.nomad.hcl": ["start=0 12 * * *", "end=0 13 * * *"],
};

const rel = (file: string) => (file.startsWith(FIXTURES) ? path.relative(FIXTURES, file) : path.relative(REPO, file));
const files = jobFiles().filter((f) => !NOT_JOBS.has(rel(f)));
const programs: Record<string, string> = {};
/** The program without its header comment, which names the source. */
const withoutHeader = (code: string) => code.replace(/^\/\*\*[\s\S]*?\*\/\n/, "");

describe("every fixture job imports exactly", () => {
  it("covers the fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
  });

  it.each(files.map(rel))("%s", (name) => {
    const file = files.find((f) => rel(f) === name)!;
    const source = readJobText(fs.readFileSync(file, "utf8"), file, { argVars: NEEDS_VARS[name], allowFs: true });
    const result: ImportResult = importSources([source]);
    expect(result.verified).toBe(true);
    expect(result.differences).toEqual([]);
    if (name.includes("read-job")) {
      // A read-back job: the server's fields are not in the code.
      expect(isReadBack(JSON.parse(fs.readFileSync(file, "utf8")))).toBe(true);
      expect(result.code).not.toMatch(/CreateIndex|JobModifyIndex|SubmitTime|Status/);
    }
    const valid = validateJob({ Job: source.job }).valid;
    if (valid) expect(result.problems).toEqual([]);
    else expect(result.problems.length).toBeGreaterThan(0);
    programs[name] = result.code;
    if (source.variables.length) {
      const params = importSources([source], { variables: "params" });
      expect(params.differences).toEqual([]);
      programs[`${name} (params)`] = params.code;
    }
    // Idempotent: the program's own job imports to the same code (HCL variables aside, which JSON does not carry).
    if (source.variables.length === 0) {
      const [synthesized] = runProgram(result.code);
      const again = importSources([fromApiJson({ Job: synthesized.rendered }, "again.json")], { verify: false });
      expect(withoutHeader(again.code)).toBe(withoutHeader(result.code));
    }
  });

  it("the programs pass tsc --strict", () => {
    expect(Object.keys(programs).length).toBeGreaterThan(files.length);
    expect(typeCheck(programs)).toEqual([]);
  });

  it("the programs pass the project's eslint rules", () => {
    expect(lint(programs)).toEqual([]);
  });
});

describe("the not-a-job fixtures are refused with the parser's diagnostic", () => {
  it.each([...NOT_JOBS].slice(0, 3))("%s", (name) => {
    const file = path.join(FIXTURES, name);
    expect(() => readJobText(fs.readFileSync(file, "utf8"), file)).toThrow(new RegExp(`${name.replace(/[.]/g, "\\.")}:\\d+:\\d+: `));
  });
});
