/**
 * The job descriptor of "Scheduling Docker Containers With Nomad": a MySQL
 * server in an "infrastructure-services" group, with constraints, a restart
 * policy, metadata at every level and a rolling update.
 *
 * Two changes from the slides, which predate Nomad 1.0: docker's
 * `port_map` becomes a port of the group network, and `distinct_hosts` moves
 * from the task to the group (Nomad rejects it at task level).
 */
import { App, Attr, Constraint, Driver, Job } from "../../lib/dsl";

const app = new App();

const job = new Job(app, "grouped-service", {
  allAtOnce: false,
  datacenters: ["my-datacenter"],
  meta: { jobKey: "job value" },
  priority: 50,
  region: "USA",
  type: "service",
  constraints: [{ attribute: Attr.kernelName, value: "linux" }],
  update: { maxParallel: 1, stagger: "30s" },
});

const group = job.addGroup("infrastructure-services", {
  count: 1,
  constraints: [{ attribute: Attr.kernelName, value: "linux" }, Constraint.distinctHosts()],
  restart: { interval: "5m", attempts: 10, delay: "25s" },
  meta: { taskKey: "group value" },
});

const mysql = group.network.addDynamicPort("mysql", { to: 3306 });

const server = group.addTask("mysql-server", {
  driver: Driver.docker({
    image: "mysql:latest",
    labels: { realm: "Experiment", "managed-by": "Nomad" },
    privileged: false,
    networkMode: "bridge",
    hostname: "mysql",
    ports: [mysql],
    auth: { username: "dockerhub_user", password: "dockerhub_password" },
  }),
  env: {
    MYSQL_ROOT_PASSWORD: "sa",
    MYSQL_USER: "mysql",
    MYSQL_PASSWORD: "mysql",
    MYSQL_DATABASE: "sushe",
  },
  resources: { cpu: 500, memoryMB: 512 },
  meta: { taskKey: "task value" },
  killTimeout: "30s",
});

server.addService("mysql", {
  name: "${JOB}-mysql",
  tags: ["experiment", "messaging"],
  port: mysql,
  checks: [{ type: "tcp", interval: "30s", timeout: "2s" }],
});

app.synth();
