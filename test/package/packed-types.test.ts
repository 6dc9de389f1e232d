/**
 * The package as `npm pack` ships it, installed into a scratch project, is
 * the product: a Pulumi program (examples/pulumi, its imports pointed at the
 * installed `drover`, `drover/dsl` and `drover/provider`, and an import of
 * every other public entry point) must type-check under exactly the
 * tsconfig.json `pulumi new typescript` writes (CommonJS,
 * `moduleResolution: node`, no `esModuleInterop`, no `skipLibCheck`), and
 * under node16 and bundler resolution. `drover/jobspec`, whose zod schemas
 * need `esModuleInterop`, is checked with `skipLibCheck`, as the README says.
 *
 * Runs when `npm run build` has produced a dist/ newer than every source
 * (CI builds before testing); skipped otherwise, with the reason, because
 * building here would race with other test files.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { PULUMI_TSCONFIG } from "../../lib/cli/commands/init";

const ROOT = path.resolve(__dirname, "..", "..");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function distState(): string | undefined {
  const marker = path.join(ROOT, "dist", "provider", "index.d.ts");
  if (!fs.existsSync(marker)) return "dist/ is missing (run `npm run build`)";
  const built = fs.statSync(marker).mtimeMs;
  return Math.max(newestSource(path.join(ROOT, "lib")), newestSource(path.join(ROOT, "provider"))) > built
    ? "dist/ is older than the sources (run `npm run build`)"
    : undefined;
}

/** The public entry points a Pulumi program may import with Pulumi's tsconfig as it is (all but drover/jobspec). */
const ENTRY_POINTS = [
  "drover/dsl",
  "drover/api",
  "drover/plan",
  "drover/hcl",
  "drover/import",
  "drover/runtime",
  "drover/provider",
  "drover/provider/handlers",
];

/** Type-checks the project in `dir` with its tsconfig.json plus `overrides` (its own files, or `files`); the diagnostics as text. */
function typeCheck(dir: string, overrides: Record<string, unknown> = {}, files?: string[]): string[] {
  const config = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
    files: string[];
  };
  const { options, errors } = ts.convertCompilerOptionsFromJson({ ...config.compilerOptions, ...overrides, noEmit: true }, dir);
  const program = ts.createProgram({ rootNames: (files ?? config.files).map((f) => path.join(dir, f)), options });
  return [...errors, ...ts.getPreEmitDiagnostics(program)].map(
    (d) => `${d.file ? path.relative(dir, d.file.fileName) : ""}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
  );
}

const why = distState();
if (why) {
  it.skip(`the packed package under Pulumi's tsconfig: skipped, ${why}`, () => undefined);
} else {
  describe("the packed package in a Pulumi project", () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-packed-"));
      const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      const tarball = path.join(dir, (JSON.parse(out) as { filename: string }[])[0].filename);
      const installed = path.join(dir, "node_modules", "drover");
      fs.mkdirSync(installed, { recursive: true });
      execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components", "1"]);
      // drover's dependencies and the project's own (@pulumi/pulumi, @types/node), as npm install would provide them.
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
      for (const dep of [...Object.keys(pkg.dependencies), "@pulumi/pulumi", "@types/node"]) {
        const link = path.join(dir, "node_modules", dep);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(path.join(ROOT, "node_modules", dep), link, "dir");
      }
      // examples/pulumi as a project of its own: the same files, importing the installed package.
      const example = path.join(ROOT, "examples", "pulumi");
      for (const f of ["index.ts", "jobs.ts", "tsconfig.json"]) {
        const text = fs.readFileSync(path.join(example, f), "utf8");
        fs.writeFileSync(
          path.join(dir, f),
          text.replace(/"\.\.\/\.\.\/provider"/g, '"drover/provider"').replace(/"\.\.\/\.\.\/lib\/dsl"/g, '"drover/dsl"'),
        );
      }
      fs.appendFileSync(
        path.join(dir, "index.ts"),
        '\nimport { jobspec, Duration } from "drover";\nexport const checked: boolean = jobspec.validateJob({ Job: { ID: "x" } }).valid && Duration.seconds(1).toNanos() > 0;\n',
      );
      // Every other public entry point but drover/jobspec (whose zod schemas need esModuleInterop or skipLibCheck, as the README says).
      fs.appendFileSync(
        path.join(dir, "index.ts"),
        ENTRY_POINTS.map((e, i) => `import * as entry${i} from "${e}";\n`).join("") +
          `export const entries: object[] = [${ENTRY_POINTS.map((_, i) => `entry${i}`).join(", ")}];\n`,
      );
      fs.writeFileSync(
        path.join(dir, "jobspec-entry.ts"),
        'import { canonicalize, validateJob } from "drover/jobspec";\nexport const valid: boolean = validateJob({ Job: { ID: "x" } }).valid && canonicalize({ ID: "x" }).Priority === 50;\n',
      );
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    test("examples/pulumi's tsconfig.json is the one `pulumi new typescript` writes", () => {
      const config = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
      expect(config.compilerOptions).toMatchObject({ strict: true, target: "es2020", module: "commonjs", moduleResolution: "node" });
      expect(config.compilerOptions.esModuleInterop).toBeUndefined();
      expect(config.compilerOptions.skipLibCheck).toBeUndefined();
      // The same options as the Pulumi project `drover init --pulumi` writes.
      expect(config.compilerOptions).toEqual(PULUMI_TSCONFIG.compilerOptions);
      expect(fs.readFileSync(path.join(dir, "index.ts"), "utf8")).toContain('from "drover/provider"');
    });

    test("type-checks under Pulumi's tsconfig: subpaths resolve (typesVersions) and the declarations compile without esModuleInterop and skipLibCheck", () => {
      expect(typeCheck(dir)).toEqual([]);
    }, 180_000);

    test("every public subpath is in package.json's exports and typesVersions, and the test imports it", () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        exports: Record<string, unknown>;
        typesVersions: { "*": Record<string, string[]> };
      };
      const subpaths = Object.keys(pkg.exports)
        .filter((k) => k !== "." && k !== "./package.json" && !k.includes("*"))
        .map((k) => k.slice(2));
      expect(subpaths.filter((k) => !(k in pkg.typesVersions["*"]))).toEqual([]);
      expect(subpaths.map((k) => `drover/${k}`).filter((e) => e !== "drover/jobspec" && !ENTRY_POINTS.includes(e))).toEqual([]);
    });

    test("drover/jobspec type-checks under Pulumi's tsconfig with skipLibCheck, as documented", () => {
      expect(typeCheck(dir, { skipLibCheck: true }, ["jobspec-entry.ts"])).toEqual([]);
    }, 180_000);

    test.each([
      ["node16", "node16"],
      ["esnext", "bundler"],
    ])(
      "type-checks with module %s and moduleResolution %s",
      (module, moduleResolution) => {
        expect(typeCheck(dir, { module, moduleResolution })).toEqual([]);
      },
      180_000,
    );
  });
}
