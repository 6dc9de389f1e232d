/**
 * Type-level tests of duration props: the `@ts-expect-error` lines below
 * must be type errors (an unused one is itself an error, TS2578). This file
 * is compiled by `npm run typecheck`, and the test compiles it again with the
 * TypeScript API, so that jest alone catches a regression.
 */
import * as path from "node:path";
import ts from "typescript";
import { Duration } from "../../lib/dsl/duration";
import type { DurationInput } from "../../lib/dsl/duration";

const good: DurationInput[] = ["30s", "1h30m", "1.5s", "250ms", "2us", "1h2m3s", "0", Duration.minutes(5)];

// @ts-expect-error a number without a unit
const noUnit: DurationInput = "3";
// @ts-expect-error words are not Go's syntax
const words: DurationInput = "5 minutes";
// @ts-expect-error an unknown unit
const unknownUnit: DurationInput = "30x";
// @ts-expect-error a day is not a Go unit (Duration.days(1) is)
const days: DurationInput = "1d";
// @ts-expect-error a number is not a duration
const bare: DurationInput = 30;

describe("duration prop types", () => {
  test("the good values are durations at run time too", () => {
    expect(good.map((d) => Duration.from(d).toString())).toEqual(["30s", "1h30m0s", "1.5s", "250ms", "2µs", "1h2m3s", "0s", "5m0s"]);
    expect([noUnit, words, unknownUnit, days, bare].length).toBe(5);
  });

  test("this file type-checks: every @ts-expect-error line above is a type error", () => {
    const file = path.join(__dirname, "duration-types.test.ts");
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node", "jest"],
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    expect(errors).toEqual([]);
  }, 120_000);
});
