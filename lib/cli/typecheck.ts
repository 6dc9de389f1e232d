/**
 * The type check `drover synth` runs before a program, as `cdk8s synth`
 * does through ts-node: the program and what it imports are checked with
 * the nearest tsconfig.json (a strict default when there is none), and type
 * errors come back as `FILE:LINE:COL: message`. Repeat runs are fast: the
 * checker keeps incremental build info in `node_modules/.cache/drover/`
 * next to the program's project (or in the system's temporary directory).
 *
 * TypeScript is the user's own: it is resolved from the program's directory
 * first, then from drover's installation; without it, the check is refused
 * with a message naming `--no-typecheck`.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as TS from "typescript";

/** The result of a type check. */
type TypeCheckResult =
  | { ok: true; configFile: string | undefined }
  | { ok: false; errors: string[]; configFile: string | undefined }
  | { ok: false; unavailable: string };

/** Compiler options used when no tsconfig.json is found: strict, Node's CommonJS, as a new project would have. */
const DEFAULT_COMPILER_OPTIONS = {
  strict: true,
  target: "es2022",
  module: "commonjs",
  moduleResolution: "node10",
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
} as const;

function loadTypeScript(programDir: string): typeof TS | undefined {
  for (const paths of [[programDir], undefined]) {
    try {
      const resolved = require.resolve("typescript", paths ? { paths } : undefined);
      return require(resolved) as typeof TS;
    } catch {
      // try the next place
    }
  }
  return undefined;
}

/** The directory that holds the incremental build info for `key` (a program and its config). */
function cacheDir(projectDir: string): string {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules"))) return path.join(dir, "node_modules", ".cache", "drover");
    if (dir === path.dirname(dir)) break;
  }
  return path.join(os.tmpdir(), "drover-typecheck");
}

/**
 * Type-checks `program` (an absolute path) with the nearest tsconfig.json
 * above it. Paths in the errors are relative to `cwd`.
 */
export function typeCheckProgram(program: string, cwd: string): TypeCheckResult {
  const programDir = path.dirname(program);
  const ts = loadTypeScript(programDir);
  if (!ts)
    return {
      ok: false,
      unavailable:
        "TypeScript is not installed (npm install --save-dev typescript), so the program cannot be type-checked; pass --no-typecheck to synthesize without the check",
    };
  const configFile = ts.findConfigFile(programDir, ts.sys.fileExists, "tsconfig.json");
  const configErrors: TS.Diagnostic[] = [];
  let options: TS.CompilerOptions;
  if (configFile) {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configFile,
      { noEmit: true },
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d) },
    );
    options = parsed?.options ?? {};
    // Only problems of the options matter here: the program, not the config's file list, is what is checked.
    if (parsed) configErrors.push(...parsed.errors.filter((d) => d.code !== 18003));
  } else {
    const converted = ts.convertCompilerOptionsFromJson(DEFAULT_COMPILER_OPTIONS, programDir);
    options = converted.options;
    configErrors.push(...converted.errors);
  }
  // One build info per project (its tsconfig.json, or the default options): programs of a project share what is already checked.
  const key = createHash("sha256")
    .update(`${configFile ?? "default"}\0${ts.version}`)
    .digest("hex")
    .slice(0, 16);
  const dir = cacheDir(configFile ? path.dirname(configFile) : programDir);
  // Keys set to undefined would differ from the build info's and defeat the cache: delete instead.
  options = { ...options, noEmit: true, incremental: true, tsBuildInfoFile: path.join(dir, `${key}.tsbuildinfo`) };
  delete options.composite;
  delete options.emitDeclarationOnly;
  const host = ts.createIncrementalCompilerHost(options);
  // Written whole or not at all (a temporary file renamed), so that concurrent runs never read half a file.
  host.writeFile = (file, text) => {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  };
  const builder = ts.createIncrementalProgram({ rootNames: [program], options, host });
  const diagnostics = [
    ...configErrors,
    ...builder.getConfigFileParsingDiagnostics(),
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
    ...builder.getSemanticDiagnostics(),
  ].filter((d) => d.category === ts.DiagnosticCategory.Error && !(d.file && isLibraryFile(d.file.fileName)));
  try {
    fs.mkdirSync(dir, { recursive: true });
    builder.emit(); // with noEmit, writes only the build info
  } catch {
    // a cache that cannot be written only makes the next run slower
  }
  if (diagnostics.length === 0) return { ok: true, configFile };
  return { ok: false, configFile, errors: diagnostics.map((d) => formatTsDiagnostic(ts, d, cwd)) };
}

/** drover's own directory (the checkout, or the installed package). */
const DROVER_ROOT = (() => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir))
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
  return path.resolve(__dirname, "..", "..");
})();

/**
 * True for files that are not the user's: installed packages and drover's
 * own sources and declarations. Their errors (a missing @types/node in a
 * project that does not need it) are not the program's; the program's use
 * of their types is still checked.
 */
function isLibraryFile(file: string): boolean {
  const abs = path.resolve(file);
  if (abs.split(path.sep).includes("node_modules")) return true;
  return ["lib", "dist", "provider"].some((d) => abs.startsWith(path.join(DROVER_ROOT, d) + path.sep));
}

/** `FILE:LINE:COL: message` (or `message` for a diagnostic without a file), with TypeScript's code at the end. */
function formatTsDiagnostic(ts: typeof TS, d: TS.Diagnostic, cwd: string): string {
  const message = `${ts.flattenDiagnosticMessageText(d.messageText, "\n")} (TS${d.code})`;
  if (!d.file || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.relative(cwd, d.file.fileName) || d.file.fileName}:${line + 1}:${character + 1}: ${message}`;
}
