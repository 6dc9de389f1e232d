/**
 * examples/pulumi: its jobs are the python-service and redis examples, and
 * its program declares one NomadJob per job (run under Pulumi's mocks).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildApp } from "../../examples/pulumi/jobs";
import { NOMAD_JOB_TYPE } from "../../provider";

const EXAMPLES = path.resolve(__dirname, "..", "..", "examples");
const registered: pulumi.runtime.MockResourceArgs[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  },
  "drover-nomad",
  "dev",
  false,
);

it("builds exactly the committed python-service and redis jobs", () => {
  const jobs = buildApp().synthJobs();
  expect(jobs.map((j) => j.id)).toEqual(["python-service", "redis"]);
  for (const j of jobs) expect(j.text).toBe(fs.readFileSync(path.join(EXAMPLES, j.id, `${j.id}.json`), "utf8"));
});

it("declares one NomadJob per job, python-service detached", async () => {
  const program = require("../../examples/pulumi/index") as { jobs: Record<string, pulumi.Output<unknown>> };
  await new Promise((resolve) => pulumi.all(Object.values(program.jobs)).apply(resolve));
  const jobs = registered.filter((r) => r.type === NOMAD_JOB_TYPE);
  expect(jobs.map((j) => j.name).sort()).toEqual(["services-python-service", "services-redis"]);
  const byName = Object.fromEntries(jobs.map((j) => [j.name, j.inputs]));
  expect(byName["services-python-service"]).toMatchObject({
    detach: true,
    waitTimeout: "10m",
    job: { ID: "python-service", Type: "service" },
  });
  expect(byName["services-redis"]).toMatchObject({ waitTimeout: "10m", job: { ID: "redis" } });
  expect(byName["services-redis"].detach).toBeUndefined();
});
