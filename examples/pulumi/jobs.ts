/**
 * The jobs this Pulumi project deploys: the python-service and redis
 * examples (examples/python-service/main.ts and examples/redis/main.ts),
 * built here into one `App` without writing files (those programs call
 * `app.synth()` when loaded).
 */
import { App, Driver, Job } from "../../lib/dsl";

/** The FastAPI service: three docker copies behind a dynamic port, a canary that waits for promotion. */
export function addPythonService(app: App): Job {
  const job = new Job(app, "python-service", { type: "service", datacenters: ["dc1"] });
  const group = job.addGroup("python-service", {
    count: 3,
    update: { maxParallel: 1, minHealthyTime: "30s", healthyDeadline: "5m", autoRevert: true, canary: 1, autoPromote: false },
  });
  const http = group.network.addDynamicPort("http", { to: 8000 });
  group.addService("python-service", {
    port: http,
    checks: [{ type: "http", path: "/health", interval: "10s", timeout: "3s" }],
  });
  group.addTask("python-service-app", {
    driver: Driver.docker({ image: "ghcr.io/myorg/python-service:1.4.2", ports: [http] }),
    env: { APP_ENV: "production", LOG_LEVEL: "info", PORT: http.envPort },
    resources: { cpu: 500, memoryMB: 256 },
  });
  return job;
}

/** A docker redis registered as `cache-redis` with a TCP check. */
export function addRedis(app: App): Job {
  const job = new Job(app, "redis", { datacenters: ["dc1"] });
  const cache = job.addGroup("cache");
  const db = cache.network.addDynamicPort("db", { to: 6379 });
  const redis = cache.addTask("redis", {
    driver: Driver.docker({ image: "redis:latest", ports: [db] }),
    resources: { cpu: 500, memoryMB: 256 },
  });
  redis.addService("redis", {
    name: "${TASKGROUP}-redis",
    tags: ["global", "cache"],
    port: db,
    checks: [{ name: "alive", type: "tcp", interval: "10s", timeout: "2s" }],
  });
  return job;
}

/** Both jobs in one App. */
export function buildApp(): App {
  const app = new App();
  addPythonService(app);
  addRedis(app);
  return app;
}
