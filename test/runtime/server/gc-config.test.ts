/**
 * The garbage collection settings of the agent config's `server` section
 * (Nomad's names): checked when the file is read, and in effect in a
 * `drover agent` started with them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile } from "../../../lib/runtime/config";
import { api, mockJob, spawnAgentProcess, stopAgentProcess, waitFor, type AgentProcess } from "../../helpers/runtime";

let dir: string;
let proc: AgentProcess | undefined;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-gc-config-"));
});

afterAll(async () => {
  await stopAgentProcess(proc);
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(config: unknown): string {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

test("the server section accepts Nomad's garbage collection settings", () => {
  const server = {
    eval_gc_threshold: "2h",
    batch_eval_gc_threshold: "48h",
    job_gc_threshold: "8h",
    deployment_gc_threshold: "30m",
    node_gc_threshold: "12h",
    job_gc_interval: "1m",
  };
  expect(loadAgentConfigFile(write({ server })).server).toEqual(server);
});

test("a bad threshold is an error that names the file and the field", () => {
  const file = write({ server: { job_gc_threshold: "soon" } });
  expect(() => loadAgentConfigFile(file)).toThrow(`${file}: server.job_gc_threshold:`);
  const file2 = write({ server: { node_gc_threshold: 24 } });
  expect(() => loadAgentConfigFile(file2)).toThrow(`${file2}: server.node_gc_threshold: must be a duration string`);
});

test("drover agent collects with the thresholds of its config file", async () => {
  const file = write({
    server: { job_gc_interval: "100ms", job_gc_threshold: "100ms", eval_gc_threshold: "100ms", batch_eval_gc_threshold: "100ms" },
  });
  proc = await spawnAgentProcess(["--dev", "--port", "0", "--config", file]);
  const a = proc.address;
  expect((await api(a, "PUT", "/v1/jobs", { Job: mockJob("short", { type: "batch", runFor: "10ms" }) })).status).toBe(200);
  const alloc = await waitFor(
    "the batch allocation",
    async () => ((await api(a, "GET", "/v1/job/short/allocations")).body as { ID: string }[])[0],
    20_000,
  );
  await waitFor("the job to be collected", async () => (await api(a, "GET", "/v1/job/short")).status === 404, 20_000);
  expect((await api(a, "GET", `/v1/allocation/${alloc.ID}`)).status).toBe(404);
}, 60_000);
