/**
 * The quick-start job that `npm start` (`drover demo`) runs end to end against
 * the included runtime: three copies of a web service with a rolling update
 * block, so that applying it creates a deployment that drover follows until
 * every allocation is healthy.
 *
 * It uses Nomad's `mock_driver`, which simulates a task without running a
 * process, so that the demo works on any machine. Swap the driver for
 * `Driver.rawExec({ command: "python3", args: ["-m", "http.server", http.envPort] })`
 * or `Driver.docker({ image: "nginx:1.27", ports: [http] })` to run real work.
 *
 *   drover synth examples/hello/main.ts --output examples/hello
 */
import { App, Driver, Job } from "../../lib/dsl";

const app = new App();

const job = new Job(app, "hello", {
  datacenters: ["dc1"],
  meta: { owner: "platform-team" },
});

const web = job.addGroup("web", {
  count: 3,
  update: {
    maxParallel: 1,
    healthCheck: "task_states", // healthy once the tasks have run for minHealthyTime
    minHealthyTime: "1s",
    healthyDeadline: "1m",
    progressDeadline: "2m",
    autoRevert: true,
  },
});

const http = web.network.addDynamicPort("http");

web.addTask("server", {
  driver: Driver.mock({ runFor: "24h" }),
  env: { LISTEN_ADDR: http.envAddr },
  resources: { cpu: 100, memoryMB: 64 },
});

app.synth();
