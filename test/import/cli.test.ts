/**
 * `drover import` end to end: files in, programs out (verified before
 * anything is written), and `--job ID` against the included runtime, whose
 * re-import of the imported program's synthesized job gives the same code.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { importJob, runProgram } from "../../lib/import";
import { api, startTestAgent, type TestAgent } from "../helpers/runtime";
import { testIO } from "../plan/cli-io";
import { REPO } from "./helpers";

const SHOP = path.join(REPO, "test", "fixtures", "import", "web-and-worker.nomad.hcl");

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "drover-import-"));
}

async function drover(cwd: string, env: NodeJS.ProcessEnv, ...argv: string[]) {
  const io = testIO(cwd, env);
  const code = await main(["import", ...argv], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("drover import FILE", () => {
  let dir: string;
  beforeEach(() => {
    dir = tmp();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes one verified program per job, with -var values checked against the program; string and number variables stay configurable", async () => {
    const r = await drover(dir, {}, SHOP, path.join(REPO, "examples", "redis", "redis.json"), "--output", "jobs", "-var", "image=shop:3");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'wrote jobs/shop.ts (job "shop": verified, synthesizes the same canonical job)\nwrote jobs/redis.ts (job "redis": verified, synthesizes the same canonical job)\n',
    );
    const shop = fs.readFileSync(path.join(dir, "jobs", "shop.ts"), "utf8");
    expect(shop).toContain('const image = process.env.NOMAD_VAR_image ?? "ghcr.io/example/shop:2.3.1";');
    // The program synthesizes the job the -var gave when run with the same value.
    expect(shop).toContain('const replicas = Number(process.env.NOMAD_VAR_replicas ?? "3");');
    const [job] = runProgram(shop, { NOMAD_VAR_image: "shop:3", NOMAD_VAR_replicas: "5" });
    expect((job.rendered as any).TaskGroups[0].Tasks[0].Config.image).toBe("shop:3");
    expect((job.rendered as any).TaskGroups[0].Count).toBe(5);
  });

  it("--single writes one program for every job", async () => {
    const r = await drover(dir, {}, SHOP, path.join(REPO, "examples", "redis", "redis.json"), "--single");
    expect(r.code).toBe(0);
    expect(r.out).toBe('wrote main.ts (job "shop", job "redis": verified, synthesizes the same canonical job)\n');
    expect(runProgram(fs.readFileSync(path.join(dir, "main.ts"), "utf8")).map((j) => j.id)).toEqual(["shop", "redis"]);
  });

  it("writes nothing when one source cannot be read, and names where", async () => {
    fs.writeFileSync(path.join(dir, "bad.nomad.hcl"), 'job "x" {\n  group "g" {\n    count = \n  }\n}\n');
    const r = await drover(dir, {}, SHOP, "bad.nomad.hcl", "missing.json");
    expect(r.code).toBe(1);
    expect(r.err).toContain("bad.nomad.hcl:3:13: Invalid expression; Expected the start of an expression, but found newline.\n");
    expect(r.err).toContain("drover import: missing.json: no such file\n");
    expect(fs.readdirSync(dir)).toEqual(["bad.nomad.hcl"]);
  });

  it("does not overwrite a file without --force", async () => {
    fs.writeFileSync(path.join(dir, "shop.ts"), "// mine\n");
    const r = await drover(dir, {}, SHOP);
    expect(r.code).toBe(1);
    expect(r.err).toContain("drover import: shop.ts exists (use --force to overwrite)\n");
    expect(fs.readFileSync(path.join(dir, "shop.ts"), "utf8")).toBe("// mine\n");
    expect((await drover(dir, {}, SHOP, "--force")).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "shop.ts"), "utf8")).toContain('new Job(app, "shop"');
  });

  it("refuses bad usage with exit code 2", async () => {
    expect((await drover(dir, {})).code).toBe(2);
    expect((await drover(dir, {}, SHOP, "--variables", "globals")).err).toContain('--variables must be "env" or "params"');
  });
});

describe("drover import --job (against the included runtime)", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1 });
    dir = tmp();
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t.stop();
  });

  it("imports a registered job without the server's defaults, and re-importing the program's job gives the same code", async () => {
    const job = JSON.parse(fs.readFileSync(path.join(REPO, "examples", "python-service", "python-service.json"), "utf8"));
    job.Job.TaskGroups[0].Tasks[0].Driver = "mock_driver";
    job.Job.TaskGroups[0].Tasks[0].Config = { run_for: "1h" };
    expect((await api(t.address, "PUT", "/v1/jobs", job)).status).toBe(200);
    const stored = (await api(t.address, "GET", "/v1/job/python-service")).body;
    expect(stored.CreateIndex).toBeGreaterThan(0);

    const r = await drover(dir, { NOMAD_ADDR: t.address }, "--job", "python-service");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const code = fs.readFileSync(path.join(dir, "python-service.ts"), "utf8");
    expect(code).toContain('driver: Driver.mock({ runFor: "1h" })');
    // Server-filled values (Nomad's defaults, indexes, status) are not in the code.
    expect(code).not.toMatch(/CreateIndex|Status|priority|namespace|region|nodePool|memoryMB: 300|killTimeout/);

    const [synthesized] = runProgram(code);
    expect(synthesized.problems).toEqual([]);
    expect(importJob({ Job: synthesized.rendered }, { file: "job python-service" }).replace(/ from .*\.\n/, "\n")).toBe(
      code.replace(/ from .*\.\n/, "\n"),
    );
  });

  it("--all imports every job of the namespace; a missing job is an API error", async () => {
    const all = await drover(dir, { NOMAD_ADDR: t.address }, "--all", "--output", "all");
    expect(all.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, "all"))).toEqual(["python-service.ts"]);
    const missing = await drover(dir, { NOMAD_ADDR: t.address }, "--job", "nope");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^drover import: .*job not found/);
  });
});
