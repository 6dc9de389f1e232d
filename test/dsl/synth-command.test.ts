/** `drover synth PROGRAM.ts [--output DIR] [--check]`, run through the CLI entry point with in-memory streams. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { main } from "../../lib/cli/main";
import type { CommandIO } from "../../lib/cli/command";

const DSL = path.resolve(__dirname, "..", "..", "lib", "dsl");

class Buffer_ extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString("utf8");
    cb();
  }
}

async function drover(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Buffer_();
  const err = new Buffer_();
  const env = { ...process.env };
  delete env.DROVER_OUTDIR;
  const io: CommandIO = { out, err, cwd, env, isTTY: false };
  // The type check has tests of its own below; the others skip it, to keep the suite fast.
  const args = argv.includes("--typecheck") ? argv.filter((a) => a !== "--typecheck") : [...argv, "--no-typecheck"];
  const code = await main(["synth", ...args], io);
  return { code, out: out.text, err: err.text };
}

/** A program with one job whose memory comes from `memoryMB`. */
function program(memoryMB: number, extra = ""): string {
  return `import { App, Driver, Job } from ${JSON.stringify(DSL)};
const app = new App();
const job = new Job(app, "hello", { datacenters: ["dc1"] });
job.addGroup("g").addTask("t", { driver: Driver.rawExec({ command: "/bin/true" }), resources: { cpu: 100, memoryMB: ${memoryMB} } });
${extra}
app.synth();
`;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-synth-cmd-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test("writes one file per job (into dist by default) and --check then finds them fresh", async () => {
  fs.writeFileSync(path.join(dir, "main.ts"), program(64, 'new Job(app, "second").addGroup("g").addTask("t", { driver: Driver.mock() });'));
  const r = await drover(dir, "main.ts");
  expect(r).toMatchObject({ code: 0, out: "wrote dist/hello.json\nwrote dist/second.json\n" });
  expect(JSON.parse(fs.readFileSync(path.join(dir, "dist", "hello.json"), "utf8")).Job.TaskGroups[0].Tasks[0].Resources).toEqual({
    CPU: 100,
    MemoryMB: 64,
  });

  const check = await drover(dir, "main.ts", "--output", "dist", "--check");
  expect(check).toMatchObject({ code: 0, out: "2 files in dist up to date\n", err: "" });

  // A job file the program no longer synthesizes (renamed job) is pointed out, not deleted.
  fs.copyFileSync(path.join(dir, "dist", "second.json"), path.join(dir, "dist", "old-name.json"));
  fs.writeFileSync(path.join(dir, "dist", "package.json"), "{}");
  const again = await drover(dir, "main.ts", "--output", "dist", "--check");
  expect(again).toMatchObject({
    code: 0,
    err: "drover synth: warning: dist/old-name.json holds a job this program does not synthesize; delete it if that job is gone\n",
  });
  expect(fs.existsSync(path.join(dir, "dist", "old-name.json"))).toBe(true);
});

test("--check on stale and missing files: exit 1, a unified diff, nothing written", async () => {
  fs.writeFileSync(path.join(dir, "main.ts"), program(64));
  expect((await drover(dir, "main.ts", "--output", "out")).code).toBe(0);
  const file = path.join(dir, "out", "hello.json");
  fs.writeFileSync(path.join(dir, "main.ts"), program(128));
  const before = fs.readFileSync(file, "utf8");

  const stale = await drover(dir, "main.ts", "--output", "out", "--check");
  expect(stale.code).toBe(1);
  expect(stale.out).toContain("stale: out/hello.json\n");
  expect(stale.out).toContain('-              "MemoryMB": 64\n');
  expect(stale.out).toContain('+              "MemoryMB": 128\n');
  expect(stale.err).toContain("1 of 1 file in out is not up to date; run: drover synth main.ts --output out");
  expect(fs.readFileSync(file, "utf8")).toBe(before);

  fs.rmSync(file);
  const missing = await drover(dir, "main.ts", "--output", "out", "--check");
  expect(missing.code).toBe(1);
  expect(missing.out).toContain("missing: out/hello.json\n");
  expect(fs.existsSync(file)).toBe(false);
});

test("an invalid job: exit 1, every problem printed with its construct path, nothing written", async () => {
  fs.writeFileSync(path.join(dir, "main.ts"), program(5, 'job.addGroup("h", { count: -2 }).addTask("t", { driver: Driver.mock() });'));
  const r = await drover(dir, "main.ts", "--output", "out");
  expect(r.code).toBe(1);
  expect(r.err).toContain("synthesis failed with 2 problems:\n");
  expect(r.err).toMatch(/\n {2}- hello\/g\/t: resources\.memoryMB: [^\n]*10/);
  expect(r.err).toMatch(/\n {2}- hello\/h: count: [^\n]*-2/);
  expect(r.err).not.toContain("    at "); // no stack trace for synthesis problems
  expect(r.err).toContain("drover synth: main.ts failed; nothing was written");
  expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
});

test("a program that throws, and one that writes elsewhere, fail with a message", async () => {
  fs.writeFileSync(path.join(dir, "boom.ts"), 'throw new Error("kaboom");\n');
  const boom = await drover(dir, "boom.ts");
  expect(boom.code).toBe(1);
  expect(boom.err).toContain("kaboom");

  fs.writeFileSync(
    path.join(dir, "elsewhere.ts"),
    program(64).replace("new App()", `new App({ outdir: ${JSON.stringify(path.join(dir, "mine"))} })`),
  );
  const elsewhere = await drover(dir, "elsewhere.ts");
  expect(elsewhere.code).toBe(1);
  expect(elsewhere.err).toContain("synthesized no jobs. Does it call app.synth() on an App without an explicit outdir?");
});

test("usage errors exit 2", async () => {
  expect((await drover(dir)).code).toBe(2);
  expect((await drover(dir, "a.ts", "b.ts")).code).toBe(2);
  expect((await drover(dir, "main.ts", "--bogus")).code).toBe(2);
  const missing = await drover(dir, "nope.ts");
  expect(missing).toMatchObject({ code: 2, err: "drover synth: cannot read program nope.ts: no such file\n" });
});

describe("type-checked synth", () => {
  const misspelled = `import { App, Driver, Job } from ${JSON.stringify(DSL)};
const app = new App();
const web = new Job(app, "python-service").addGroup("web");
web.addTask("app", { driver: Driver.docker({ image: "python:3" }), resources: { memoryMb: 512 } });
app.synth();
`;

  test("a type error is printed as FILE:LINE:COL: message and nothing is written (exit 1)", async () => {
    fs.writeFileSync(path.join(dir, "main.ts"), misspelled);
    const r = await drover(dir, "main.ts", "--typecheck");
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "main.ts:4:81: Object literal may only specify known properties, but 'memoryMb' does not exist in type 'ResourcesProps'. Did you mean to write 'memoryMB'? (TS2561)\n",
    );
    expect(r.err).toContain("drover synth: main.ts has 1 type error; nothing was written (--no-typecheck skips the check)");
    expect(fs.existsSync(path.join(dir, "dist"))).toBe(false);
  }, 120_000);

  test("--no-typecheck runs the program, and the run-time prop check still catches the misspelling", async () => {
    fs.writeFileSync(path.join(dir, "main.ts"), misspelled);
    const r = await drover(dir, "main.ts");
    expect(r.code).toBe(1);
    expect(r.err).toContain('python-service/web/app: resources.memoryMb: unknown prop (did you mean "memoryMB"?)');
    expect(fs.existsSync(path.join(dir, "dist"))).toBe(false);
  }, 60_000);

  test('a program that type-checks is synthesized; a duration such as "3" is a type error', async () => {
    fs.writeFileSync(path.join(dir, "main.ts"), program(64));
    expect(await drover(dir, "main.ts", "--typecheck")).toMatchObject({ code: 0, out: "wrote dist/hello.json\n" });
    fs.writeFileSync(
      path.join(dir, "main.ts"),
      program(64, 'new Job(app, "b", { update: { minHealthyTime: "3" } }).addGroup("g").addTask("t", { driver: Driver.mock() });'),
    );
    const r = await drover(dir, "main.ts", "--typecheck");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^main\.ts:5:\d+: Type '"3"' is not assignable to type 'DurationInput \| undefined'\. \(TS2322\)$/m);
  }, 120_000);
});
