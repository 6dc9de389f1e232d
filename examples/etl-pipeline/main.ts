/**
 * The parameterized batch job of "Nomad Job Scheduling with Python — Deep
 * Dive": nothing runs until it is dispatched with a date and a source.
 *
 *   nomad job dispatch -meta date=2026-03-28 -meta source=clickstream etl-pipeline
 */
import { App, Driver, Interp, Job } from "../../lib/dsl";

const app = new App();

const job = new Job(app, "etl-pipeline", {
  type: "batch",
  datacenters: ["dc1"],
  parameterized: {
    payload: "forbidden",
    metaRequired: ["date", "source"],
  },
});

job.addGroup("processor").addTask("transform", {
  driver: Driver.docker({
    image: "ghcr.io/myorg/etl:latest",
    command: "python",
    args: ["-m", "etl.run", "--date", Interp.meta("date"), "--source", Interp.meta("source")],
  }),
  resources: { cpu: 2000, memoryMB: 1024 },
});

app.synth();
