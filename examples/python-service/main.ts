/**
 * The FastAPI service of "Nomad Job Scheduling with Python — Deep Dive":
 * three copies of a docker image behind a dynamic port, an HTTP health
 * check, and a canary deployment that waits for manual promotion.
 *
 *   drover synth examples/python-service/main.ts --output examples/python-service
 */
import { App, Driver, Job } from "../../lib/dsl";

const app = new App();

const job = new Job(app, "python-service", {
  type: "service",
  datacenters: ["dc1"],
});

const service = job.addGroup("python-service", {
  count: 3,
  update: {
    maxParallel: 1, // one allocation at a time
    minHealthyTime: "30s", // healthy for 30s before moving on
    healthyDeadline: "5m", // unhealthy after 5 minutes
    autoRevert: true, // roll back on failure
    canary: 1, // one canary first...
    autoPromote: false, // ...promoted by a human (or the canary-promotion example)
  },
});

// Nomad picks the host port; uvicorn listens on 8000 inside the container.
const http = service.network.addDynamicPort("http", { to: 8000 });

service.addService("python-service", {
  port: http,
  checks: [{ type: "http", path: "/health", interval: "10s", timeout: "3s" }],
});

service.addTask("python-service-app", {
  driver: Driver.docker({
    image: "ghcr.io/myorg/python-service:1.4.2",
    ports: [http],
  }),
  env: {
    APP_ENV: "production",
    LOG_LEVEL: "info",
    PORT: http.envPort,
  },
  resources: { cpu: 500, memoryMB: 256 },
});

app.synth();
