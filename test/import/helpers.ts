/** Helpers of the import tests: the fixture files, and type checking and linting generated programs. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { execFileSync } from "node:child_process";

/** The repository root. */
export const REPO = path.resolve(__dirname, "..", "..");

/** The shared fixtures. */
export const FIXTURES = "/work/shared/fixtures";

/** Every HCL and JSON job file of the shared fixtures (with the job-shaped docs JSON), test/fixtures/import and the examples' committed JSON, as absolute paths. */
export function jobFiles(): string[] {
  const out: string[] = [];
  for (const dir of ["hcl/jobspec2", "hcl/command-asset", "hcl/e2e", "hcl/legacy-jobspec-hcl1", "json"]) {
    for (const f of fs.readdirSync(path.join(FIXTURES, dir)).sort()) out.push(path.join(FIXTURES, dir, f));
  }
  // The job-shaped JSON cut out of the API docs: a register payload, the canonical example job, the parse endpoint's
  // answer, and a read-back job (GET /v1/job/:id, the shape `nomad job inspect` prints).
  for (const f of [
    "jobs__create-job__sample-payload.json",
    "json-jobs__syntax__example-job.json",
    "jobs__parse-job__sample-response.json",
    "jobs__read-job__sample-response.json",
  ]) {
    out.push(path.join(FIXTURES, "docs-json", f));
  }
  const own = path.join(REPO, "test", "fixtures", "import");
  for (const f of fs.readdirSync(own).sort()) out.push(path.join(own, f));
  const examples = path.join(REPO, "examples");
  for (const d of fs.readdirSync(examples).sort()) {
    for (const f of fs.readdirSync(path.join(examples, d)).sort()) {
      const file = path.join(examples, d, f);
      if (f.endsWith(".json") && isJobJson(file)) out.push(file);
    }
  }
  return out;
}

/**
 * True when a JSON file holds a job (`{"Job": {...}}`, as `drover synth`
 * writes it, or a bare job with `TaskGroups`), not another JSON file that
 * lives beside the programs (a tsconfig.json, a package.json).
 */
export function isJobJson(file: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return false;
  }
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObj(value)) return false;
  const job = isObj(value.Job) ? value.Job : value;
  return Array.isArray(job.TaskGroups);
}

/**
 * Type-checks programs with `tsc --strict` (as a user's project would, with
 * `drover` resolving to this checkout's DSL); returns the errors, one line each.
 */
export function typeCheck(programs: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-import-tsc-"));
  try {
    const files = Object.entries(programs).map(([name, code]) => {
      const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, "_")}.ts`);
      fs.writeFileSync(file, code);
      return file;
    });
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.join(REPO, "node_modules", "@types")],
      baseUrl: dir,
      paths: { drover: [path.join(REPO, "lib", "dsl", "index.ts")] },
      noUnusedLocals: true,
      isolatedModules: true,
    };
    const program = ts.createProgram(files, options);
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => !d.file || d.file.fileName.startsWith(dir))
      .map((d) => {
        const where =
          d.file && d.start !== undefined
            ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
            : "";
        return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Lints programs with the project's eslint configuration (the eslint CLI in
 * a child process, as `npx eslint` runs it); returns the problems, one line each.
 */
export function lint(programs: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(REPO, "test", "import", ".generated-"));
  try {
    for (const [name, code] of Object.entries(programs))
      fs.writeFileSync(path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, "_")}.ts`), code);
    let out: string;
    try {
      out = execFileSync(process.execPath, [path.join(REPO, "node_modules", "eslint", "bin", "eslint.js"), "--format", "json", dir], {
        cwd: REPO,
        encoding: "utf8",
        maxBuffer: 64 << 20,
      });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? "");
      if (!out) throw err;
    }
    const results = JSON.parse(out) as { filePath: string; messages: { line: number; ruleId: string | null; message: string }[] }[];
    return results.flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)}:${m.line}: ${m.ruleId ?? ""} ${m.message}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
