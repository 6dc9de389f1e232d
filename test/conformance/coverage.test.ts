/**
 * The suite's own bookkeeping: every case names a Nomad test that exists in
 * the list (or a Nomad source file), no case follows a test marked not
 * applicable, there are at least 150 cases, and the README's table is the
 * one the list and the cases give.
 */
import * as fs from "node:fs";
import { findCases, NOMAD_TEST_FILES, README, renderCoverage, withCoverage } from "./coverage";

describe("conformance suite bookkeeping", () => {
  const cases = findCases();

  it("has at least 150 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it("names only listed Nomad tests (or Nomad source functions), none marked not applicable", () => {
    const bad: string[] = [];
    for (const c of cases) {
      if (c.file === "") bad.push(`${c.suite}: ${c.func} has no NOMAD_FILE`);
      const listed = NOMAD_TEST_FILES.find((f) => f.file === c.file);
      if (listed) {
        const t = listed.tests[c.func];
        if (!t) bad.push(`${c.suite}: ${c.file} has no ${c.func}`);
        else if (t.na) bad.push(`${c.suite}: ${c.func} is marked not applicable (${t.na})`);
      } else if (c.file.endsWith("_test.go")) bad.push(`${c.suite}: ${c.file} is not in coverage.ts`);
    }
    expect(bad).toEqual([]);
  });

  it("README.md shows the coverage the list and the cases give (regenerate: npx tsx test/conformance/coverage.ts --write)", () => {
    const readme = fs.readFileSync(README, "utf8");
    expect(withCoverage(readme, renderCoverage(cases))).toBe(readme);
  });
});
