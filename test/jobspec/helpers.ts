/** Shared helpers of the jobspec tests. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Job, JobProblem, JobValidationResult } from "../../lib/jobspec";

/** Where the copied Nomad fixtures live. */
export const FIXTURES = path.resolve(__dirname, "..", "fixtures", "jobspec");

/** Reads and parses a fixture by file name. */
export function fixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
}

/** A minimal valid job of the given type, built fresh for each call. */
export function minimalJob(type: "service" | "batch" | "system" | "sysbatch" = "service"): Job {
  return {
    ID: "web",
    Type: type,
    TaskGroups: [
      {
        Name: "app",
        Tasks: [{ Name: "server", Driver: "docker", Config: { image: "nginx:1" } }],
      },
    ],
  };
}

/** The problems of an invalid result (fails the test when valid). */
export function problemsOf(r: JobValidationResult): JobProblem[] {
  if (r.valid) throw new Error("expected an invalid job, but it validated");
  return r.problems;
}

/** `path: message` lines, the way the CLI prints them. */
export function lines(ps: JobProblem[]): string[] {
  return ps.map((p) => `${p.path}: ${p.message}`);
}
