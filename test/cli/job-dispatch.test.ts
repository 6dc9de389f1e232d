/** `drover job dispatch` and `drover job periodic-force` end to end against the included runtime. */
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { testIO } from "../plan/cli-io";
import { api, mockJob, startTestAgent, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

type Obj = Record<string, any>;
const jobPath = (id: string, suffix = "") => `/v1/job/${encodeURIComponent(id)}${suffix}`;

describe("drover job dispatch / periodic-force (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  beforeAll(async () => {
    t = await startTestAgent();
    const etl = {
      ...mockJob("etl", { type: "batch", runFor: "20ms", meta: { owner: "data" } }),
      ParameterizedJob: { Payload: "optional", MetaRequired: ["date", "source"], MetaOptional: ["retries"] },
    };
    // A periodic job whose next launch is far away: only a forced launch runs it.
    const nightly = {
      ...mockJob("nightly", { type: "batch", runFor: "20ms" }),
      Periodic: { Enabled: true, SpecType: "cron", Specs: ["0 3 1 1 *"], ProhibitOverlap: true },
    };
    for (const job of [etl, nightly, mockJob("plain", { count: 1 })])
      expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);

  it("dispatches with meta and a payload file, prints the child's ID and follows its evaluation", async () => {
    fs.writeFileSync(path.join(files.dir, "input.txt"), "rows=42\n");
    const res = await run("job", "dispatch", "-meta", "date=2026-03-28", "--meta=source=clickstream", "etl", "input.txt");
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    const m = /^Dispatched Job ID = (etl\/dispatch-\d+-[0-9a-f]{8})\nEvaluation ID {5}= ([0-9a-f]{8})\n/.exec(res.out);
    expect(m).not.toBeNull();
    expect(res.out).toContain(`    Evaluation ${m![2]}: complete\n==> Job "${m![1]}": evaluated\n`);
    const child = (await api(t.address, "GET", jobPath(m![1]))).body as Obj;
    expect(child).toMatchObject({
      ParentID: "etl",
      Meta: { owner: "data", date: "2026-03-28", source: "clickstream" },
      Payload: Buffer.from("rows=42\n").toString("base64"),
    });
  });

  it("-wait follows the child's allocations until they complete", async () => {
    const res = await run("job", "dispatch", "-wait", "-meta", "date=d", "-meta", "source=s", "etl");
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(
      / {4}Allocations \(1 wanted\): 0 running, 0 pending, 1 complete\n==> Job "etl\/dispatch-\d+-[0-9a-f]{8}": complete\n$/,
    );
  });

  it("reads the payload from stdin with -, and honours -id-prefix-template and -idempotency-token", async () => {
    const argv = [
      "job",
      "dispatch",
      "-detach",
      "-meta",
      "date=d",
      "-meta",
      "source=s",
      "-id-prefix-template",
      "nightly",
      "-idempotency-token",
      "tok-1",
      "etl",
      "-",
    ];
    const io = testIO(files.dir, { NOMAD_ADDR: t.address });
    io.in.end("from stdin");
    expect(await main(argv, io)).toBe(0);
    const id = /Dispatched Job ID = (\S+)/.exec(io.stdout())![1];
    expect(id).toMatch(/^etl\/dispatch-nightly-\d+-[0-9a-f]{8}$/);
    expect(io.stdout()).toMatch(/Evaluation ID {5}= [0-9a-f]{8}\n$/);
    expect((await api(t.address, "GET", jobPath(id))).body.Payload).toBe(Buffer.from("from stdin").toString("base64"));
    // The same token again: Nomad answers with the existing child and no new evaluation.
    const again = testIO(files.dir, { NOMAD_ADDR: t.address });
    again.in.end("from stdin");
    expect(await main(argv, again)).toBe(0);
    expect(again.stdout()).toBe(`Dispatched Job ID = ${id}\n`);
  });

  it("reports Nomad's refusal naming the missing meta key, and unreadable payload files", async () => {
    const res = await run("job", "dispatch", "-meta", "date=2026-03-28", "etl");
    expect(res.code).toBe(1);
    expect(res.err).toBe(
      'drover job dispatch: Error dispatching job "etl": Dispatch did not provide required meta keys: [source] (HTTP 400)\n',
    );
    const notParameterized = await run("job", "dispatch", "plain");
    expect(notParameterized.code).toBe(1);
    expect(notParameterized.err).toContain('Specified job "plain" is not a parameterized job');
    const missingFile = await run("job", "dispatch", "etl", "nope.txt");
    expect(missingFile.code).toBe(2);
    expect(missingFile.err).toContain("cannot read the payload file nope.txt: ENOENT");
  });

  it("periodic-force (and nomad's `periodic force` spelling) launches a child now", async () => {
    const res = await run("job", "periodic-force", "nightly");
    expect(res.err).toBe("");
    expect(res.code).toBe(0);
    expect(res.out).toMatch(
      /^==> Periodic job "nightly" launched \(evaluation ([0-9a-f]{8})\)\n {4}Evaluation \1: complete\n==> Job "nightly\/periodic-\d+": evaluated\n$/,
    );
    const spaced = await run("job", "periodic", "force", "-detach", "nightly");
    expect(spaced.code).toBe(0);
    expect(spaced.out).toMatch(/\nEvaluation ID: [0-9a-f]{8}\n$/);
    // Children are named <parent>/periodic-<unix seconds>, as Nomad names them (two launches in one second share a name).
    const children = ((await api(t.address, "GET", "/v1/jobs")).body as Obj[]).filter((j) => j.ParentID === "nightly");
    expect(children.length).toBeGreaterThanOrEqual(1);
    expect(children.every((c) => /^nightly\/periodic-\d+$/.test(c.ID))).toBe(true);
    const refused = await run("job", "periodic-force", "plain");
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `drover job periodic-force: Error forcing a launch of periodic job "plain": can't force launch non-periodic job (HTTP 400)\n`,
    );
  });
});
