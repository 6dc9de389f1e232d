/**
 * The multiregion deployment of "Nomad Job Scheduling with Python — Deep
 * Dive" (Nomad Enterprise): one region at a time, and a failure in one
 * region fails the deployment everywhere.
 *
 * The group leaves its count at 0 so that each region's `count` applies (a
 * region's count replaces only group counts of 0, as Nomad documents it).
 *
 * drover's runtime serves both regions from one agent; give it the regions
 * in its config file and run the job against it:
 *
 *   {"region": "us-east", "datacenter": "dc-east", "client": {"enabled": false},
 *    "sim_nodes": [{"count": 3, "datacenter": "dc-east"}],
 *    "regions": [{"name": "eu-west", "datacenters": ["dc-west"], "sim_nodes": 2}]}
 *
 *   drover agent --config agent.json
 *   drover synth examples/multiregion/main.ts --output out
 *   curl -X PUT --data @out/multiregion.json http://127.0.0.1:4646/v1/jobs
 *
 * Each region then has its copy (`/v1/job/multiregion?region=eu-west`) and
 * its own deployment, and eu-west starts only once us-east is done. The
 * simulated nodes offer only the mock driver, so for the rollout to finish
 * there, give the task `Driver.mock(...)` instead of Docker and leave out the
 * HTTP health check (test/runtime/multiregion/example.test.ts does both with
 * this job).
 */
import { App, Driver, Job } from "../../lib/dsl";

const app = new App();

const job = new Job(app, "multiregion", {
  multiregion: {
    maxParallel: 1,
    onFailure: "fail_all",
    regions: [
      { name: "us-east", count: 3, datacenters: ["dc-east"] },
      { name: "eu-west", count: 2, datacenters: ["dc-west"] },
    ],
  },
});

const web = job.addGroup("web", { count: 0 });
const http = web.network.addDynamicPort("http", { to: 8000 });
web.addService("web", {
  port: http,
  checks: [{ type: "http", path: "/health", interval: "10s", timeout: "3s" }],
});
web.addTask("app", {
  driver: Driver.docker({ image: "ghcr.io/myorg/python-service:1.4.2", ports: [http] }),
  resources: { cpu: 500, memoryMB: 256 },
});

app.synth();
