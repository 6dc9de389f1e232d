/**
 * `drover plan` shows the allocations the scheduler would preempt, as
 * `nomad job plan` does (a "Preemptions:" table of Alloc ID, Job ID and Task
 * Group; summaries per job or per job type above 10), in text and in
 * `--json`, against the included runtime; and planning evicts nothing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { renderPreemptions } from "../../lib/cli/render/plan";
import type { PreemptedAlloc } from "../../lib/plan";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { testIO } from "../plan/cli-io";

describe("drover plan with preemptions", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simPools: [{ count: 1, name: "small", cpu: 1000, memory: 1024 }] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-plan-preempt-"));
  });
  afterAll(async () => {
    await t?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists the low-priority allocation a system job would evict, and evicts nothing", async () => {
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: { ...mockJob("low", { memoryMB: 700 }), Priority: 20 } })).status).toBe(200);
    const victim = await waitFor("the low-priority allocation running", async () => {
      const list = (await api(t.address, "GET", "/v1/job/low/allocations")).body as { ID: string; ClientStatus: string }[];
      return list.find((a) => a.ClientStatus === "running");
    });
    fs.writeFileSync(
      path.join(dir, "agent.json"),
      JSON.stringify({ Job: { ...mockJob("agent", { type: "system", memoryMB: 600 }), Priority: 80 } }),
    );

    const text = testIO(dir, { NOMAD_ADDR: t.address });
    expect(await main(["plan", "agent.json"], text)).toBe(0);
    const out = text.stdout();
    expect(out).toContain('+ Task Group: "web" (1 create, 1 preempt)');
    const lines = out.split("\n");
    const at = lines.indexOf("Preemptions:");
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}Alloc ID {2,}Job ID {2}Task Group$/);
    expect(lines[at + 2]).toBe(`  ${victim.ID}  low     web`);

    const json = testIO(dir, { NOMAD_ADDR: t.address });
    await main(["plan", "--json", "agent.json"], json);
    const doc = JSON.parse(json.stdout());
    expect(doc.jobs[0].preemptions).toEqual([
      { allocId: victim.ID, jobId: "low", namespace: "default", jobType: "service", taskGroup: "web", nodeId: expect.any(String) },
    ]);

    const after = (await api(t.address, "GET", `/v1/allocation/${victim.ID}`)).body;
    expect(after.DesiredStatus).toBe("run");
  });

  it("summarizes ten or more preemptions per job, and ten or more jobs per job type", () => {
    const alloc = (i: number, job: string, type = "service"): PreemptedAlloc => ({
      allocId: `a${String(i).padStart(2, "0")}`,
      jobId: job,
      namespace: "default",
      jobType: type,
      taskGroup: "g",
      nodeId: "n",
    });
    const ten = Array.from({ length: 10 }, (_, i) => alloc(i, i < 7 ? "web" : "cache", i < 7 ? "service" : "batch"));
    expect(renderPreemptions(ten)).toEqual([
      "Job ID  Namespace  Job Type  Preemptions",
      "cache   default    batch     3",
      "web     default    service   7",
    ]);
    const manyJobs = Array.from({ length: 12 }, (_, i) => alloc(i, `job${i}`, i % 2 ? "batch" : "service"));
    expect(renderPreemptions(manyJobs)).toEqual(["Job Type  Preemptions", "batch     6", "service   6"]);
  });
});
