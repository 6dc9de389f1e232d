/**
 * The redis task of "Scheduling Docker Containers With Nomad": a docker
 * redis registered in Consul as `cache-redis`, with a TCP check named
 * "alive".
 */
import { App, Driver, Job } from "../../lib/dsl";

const app = new App();

const job = new Job(app, "redis", { datacenters: ["dc1"] });
const cache = job.addGroup("cache");

// The slides use docker's port_map; today the group network maps the port.
const db = cache.network.addDynamicPort("db", { to: 6379 });

const redis = cache.addTask("redis", {
  driver: Driver.docker({ image: "redis:latest", ports: [db] }),
  resources: {
    cpu: 500, // MHz
    memoryMB: 256,
  },
});

redis.addService("redis", {
  name: "${TASKGROUP}-redis",
  tags: ["global", "cache"],
  port: db,
  checks: [{ name: "alive", type: "tcp", interval: "10s", timeout: "2s" }],
});

app.synth();
