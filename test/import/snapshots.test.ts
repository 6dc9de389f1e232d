/**
 * What users get: the generated code of four jobs, pinned. A docker service
 * with ports, checks and an update block; a parameterized batch job; a
 * periodic job; a multi-group job with variables.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { importJob } from "../../lib/import";
import { FIXTURES, REPO } from "./helpers";

const read = (file: string) => fs.readFileSync(file, "utf8");

describe("generated programs", () => {
  it("a docker service with ports, checks and an update block", () => {
    const file = path.join(REPO, "examples", "python-service", "python-service.json");
    expect(importJob(read(file), { file: "python-service.json" })).toMatchSnapshot();
  });

  it("a parameterized batch job", () => {
    const file = path.join(REPO, "examples", "etl-pipeline", "etl-pipeline.json");
    expect(importJob(read(file), { file: "etl-pipeline.json" })).toMatchSnapshot();
  });

  it("a periodic job", () => {
    const file = path.join(FIXTURES, "hcl", "e2e", "periodic__simple.nomad");
    expect(importJob(read(file), { file: "periodic__simple.nomad" })).toMatchSnapshot();
  });

  it("a multi-group job with variables (env constants, and --variables params)", () => {
    const file = path.join(REPO, "test", "fixtures", "import", "web-and-worker.nomad.hcl");
    expect(importJob(read(file), { file: "web-and-worker.nomad.hcl" })).toMatchSnapshot();
    expect(importJob(read(file), { file: "web-and-worker.nomad.hcl", variables: "params" })).toMatchSnapshot();
  });
});
