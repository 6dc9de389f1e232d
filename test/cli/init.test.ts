/**
 * `drover init`: the generated project works at once: its program
 * type-checks with the generated tsconfig.json and synthesizes a valid job.
 * The project's `drover` dependency is this checkout (a stand-in package in
 * its node_modules), as `npm install` would provide the released one.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import type { CommandIO } from "../../lib/cli/command";
import { main } from "../../lib/cli/main";
import { validateJob } from "../../lib/jobspec";
import { droverDependency } from "../../lib/cli/commands/init/drover-dependency";

const ROOT = path.resolve(__dirname, "..", "..");

async function drover(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const sink = (add: (s: string) => void) => new Writable({ write: (chunk, _enc, cb) => (add(String(chunk)), cb()) });
  const env = { ...process.env };
  delete env.DROVER_OUTDIR;
  const io: CommandIO = { out: sink((s) => (out += s)), err: sink((s) => (err += s)), cwd, env, isTTY: false };
  const code = await main(argv, io);
  return { code, out, err };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-init-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("writes a project whose program type-checks and synthesizes; never overwrites", async () => {
  const init = await drover(dir, "init", "my-jobs");
  expect(init.code).toBe(0);
  const proj = path.join(dir, "my-jobs");
  expect(fs.readdirSync(proj).sort()).toEqual([".gitignore", "README.md", "jobs", "package.json", "tsconfig.json"]);
  const pkg = JSON.parse(fs.readFileSync(path.join(proj, "package.json"), "utf8"));
  // drover is not on npm: the dependency points at this checkout, relative to the project.
  expect(pkg).toMatchObject({ name: "my-jobs", dependencies: { drover: expect.stringMatching(/^file:\.\.\//) } });
  expect(path.resolve(proj, pkg.dependencies.drover.slice("file:".length))).toBe(ROOT);
  expect(init.out).toContain(`drover dependency: ${pkg.dependencies.drover} (this checkout)`);
  const readme = fs.readFileSync(path.join(proj, "README.md"), "utf8");
  for (const cmd of ["drover synth jobs/main.ts", "drover plan dist", "drover apply dist"]) expect(readme).toContain(cmd);
  expect(fs.readFileSync(path.join(proj, ".gitignore"), "utf8")).toContain("node_modules/");

  // What npm install would do: drover in node_modules (here, this checkout's sources).
  const pkgDir = path.join(proj, "node_modules", "drover");
  fs.mkdirSync(pkgDir, { recursive: true });
  fs.writeFileSync(
    path.join(pkgDir, "package.json"),
    JSON.stringify({ name: "drover", version: "0.0.0", main: "index.ts", types: "index.ts" }),
  );
  fs.writeFileSync(path.join(pkgDir, "index.ts"), `export * from ${JSON.stringify(path.join(ROOT, "lib", "index"))};\n`);

  const synth = await drover(proj, "synth", "jobs/main.ts");
  expect(synth.err).toBe("");
  expect(synth).toMatchObject({ code: 0, out: "wrote dist/redis.json\n" });
  const job = JSON.parse(fs.readFileSync(path.join(proj, "dist", "redis.json"), "utf8"));
  expect(validateJob(job).valid).toBe(true);

  // A type error in the generated program is caught by the generated tsconfig.json.
  const main = path.join(proj, "jobs", "main.ts");
  fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace("memoryMB: 256", "memoryMb: 256"));
  const broken = await drover(proj, "synth", "jobs/main.ts");
  expect(broken.code).toBe(1);
  expect(broken.err).toMatch(/^jobs\/main\.ts:\d+:\d+: .*'memoryMb' does not exist in type 'ResourcesProps'/m);

  const again = await drover(dir, "init", "my-jobs");
  expect(again.code).toBe(1);
  expect(again.err).toContain("already exist; nothing was written");
}, 180_000);

test("--drover sets the dependency spec as given; an empty one is a usage error", async () => {
  const init = await drover(dir, "init", "--drover", "file:../drover-0.1.0.tgz");
  expect(init.code).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies.drover).toBe("file:../drover-0.1.0.tgz");
  const empty = await drover(path.join(dir, "x"), "init", "--drover", "");
  expect(empty.code).toBe(2);
  expect(empty.err).toContain("--drover needs an npm dependency spec");
});

describe("the default dependency spec", () => {
  const installed = (lock: unknown, pkg: unknown) => {
    const owner = path.join(dir, "owner");
    const root = path.join(owner, "node_modules", "drover");
    fs.mkdirSync(root, { recursive: true });
    if (lock) fs.writeFileSync(path.join(owner, "package-lock.json"), JSON.stringify(lock));
    fs.writeFileSync(path.join(owner, "package.json"), JSON.stringify(pkg));
    return root;
  };

  test("from a checkout: a file: path to it", () => {
    expect(droverDependency(path.join(dir, "proj"), undefined, path.join(dir, "src", "drover"))).toEqual({
      spec: "file:../src/drover",
      source: "checkout",
    });
  });

  test("installed from a tarball: the installing project's file: spec, rebased", () => {
    const root = installed({ packages: { "node_modules/drover": { resolved: "file:vendor/drover-0.1.0.tgz" } } }, {});
    expect(droverDependency(path.join(dir, "proj"), undefined, root)).toEqual({
      spec: "file:../owner/vendor/drover-0.1.0.tgz",
      source: "installed",
    });
  });

  test("installed from git: the resolved URL as it is; a registry range is not a usable origin", () => {
    const git = "git+ssh://git@example.com/team/drover.git#0123abcd";
    expect(droverDependency(dir, undefined, installed({ packages: { "node_modules/drover": { resolved: git } } }, {}))?.spec).toBe(git);
    fs.rmSync(path.join(dir, "owner"), { recursive: true });
    expect(droverDependency(dir, undefined, installed(null, { dependencies: { drover: "^0.1.0" } }))).toBeUndefined();
  });
});

test("--pulumi adds Pulumi.yaml and an index.ts with NomadApp, and Pulumi's tsconfig.json", async () => {
  expect((await drover(dir, "init", "--pulumi")).code).toBe(0);
  expect(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).toContain("runtime:\n  name: nodejs");
  expect(fs.readFileSync(path.join(dir, "index.ts"), "utf8")).toContain('import { NomadApp } from "drover/provider";');
  const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
  expect(tsconfig.compilerOptions).toMatchObject({ strict: true, target: "es2020", module: "commonjs", moduleResolution: "node" });
  expect(tsconfig.compilerOptions.esModuleInterop).toBeUndefined();
  expect(tsconfig.compilerOptions.skipLibCheck).toBeUndefined();
});
