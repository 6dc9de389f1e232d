/**
 * The multiregion deployment of "Nomad Job Scheduling with Python — Deep
 * Dive" (Nomad Enterprise): one region at a time, and a failure in one
 * region fails the deployment everywhere.
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

const web = job.addGroup("web");
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
