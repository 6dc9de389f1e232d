/** Loads the fixtures of test/fixtures/plan. */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "fixtures", "plan");

/** Parses a JSON fixture by its path under test/fixtures/plan. */
export function fixture<T = unknown>(rel: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, rel), "utf8")) as T;
}

/** A copy of a docs-json sample (test/fixtures/plan/nomad-docs). */
export function docs<T = unknown>(name: string): T {
  return fixture<T>(`nomad-docs/${name}.json`);
}
