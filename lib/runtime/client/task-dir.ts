/**
 * Building a task's directory before it starts (Nomad's task dir, dispatch
 * payload and template hooks): the directory tree of `AllocDirLayout`, the
 * decoded dispatch payload in `local/<File>`, and templates with inline
 * `data` rendered to their destination.
 *
 * Templates are rendered as consul-template renders them for Nomad (see
 * template/), then written through `writeTemplateOutput`. Artifacts are
 * fetched by artifact.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TaskDirs } from "../drivers/driver";
import type { AllocDirLayout } from "./alloc-dir";
import { AllocFs, OutsideAllocDirError } from "./alloc-fs";
import { interpolate } from "./task-env";
import { executeTemplate } from "./template/exec";
import { MissingDependencyError, templateFuncs, type TemplateReads, type TemplateSources, type TemplateTask } from "./template/funcs";

/** Creates the allocation's shared dirs and the task's own (idempotent), and returns their paths. */
export function buildTaskDir(layout: AllocDirLayout, task: string): TaskDirs {
  const dirs: TaskDirs = {
    dir: layout.taskDir(task),
    allocDir: layout.sharedDir,
    localDir: layout.taskLocalDir(task),
    secretsDir: layout.taskSecretsDir(task),
    tmpDir: layout.taskTmpDir(task),
  };
  // Other tasks of the allocation may already run (and may have replaced a directory with a link): created through the sandbox.
  fs.mkdirSync(layout.root, { recursive: true });
  const files = new AllocFs(layout.root);
  // Open to every user, as Nomad's allocMkdirAll/dropDirPermissions leave them, so that a task run as another `user` can write its own directories.
  for (const d of [
    layout.sharedDir,
    path.join(layout.sharedDir, "data"),
    layout.logsDir,
    path.join(layout.sharedDir, "tmp"),
    dirs.dir,
    dirs.localDir,
    dirs.tmpDir,
  ])
    files.mkdirp(files.relative(d), 0o777);
  // Secrets stay private (0700); a driver that runs the task as another user hands the directory to that user.
  files.mkdirp(files.relative(dirs.secretsDir), 0o700);
  return dirs;
}

/** Resolves a path the job gives relative to the task dir; refuses one that leaves the allocation directory. */
function taskPath(layout: AllocDirLayout, taskDir: string, relative: string, what: string): string {
  const full = path.resolve(taskDir, relative);
  if (!full.startsWith(layout.root + path.sep)) throw new Error(`${what} ${JSON.stringify(relative)} is outside the allocation directory`);
  return full;
}

/** Writes a dispatched job's payload (base64) to `local/<file>`. */
export function writeDispatchPayload(layout: AllocDirLayout, dirs: TaskDirs, file: string, payloadBase64: string): string {
  const dest = taskPath(layout, dirs.localDir, file, "dispatch_payload file");
  const files = new AllocFs(layout.root);
  files.writeFile(files.relative(dest), Buffer.from(payloadBase64, "base64"));
  return dest;
}

/** A template's `change_script` (`structs.ChangeScript`). */
export interface ChangeScriptSpec {
  /** The command, run inside the task. */
  Command?: string | null;
  /** Its arguments. */
  Args?: string[] | null;
  /** How long it may run, ns (default 5s). */
  Timeout?: number | null;
  /** Kill the task when the script fails (default false). */
  FailOnError?: boolean | null;
  /** Also run it once the task has started with the first rendering (default false). */
  RunOnFirstRender?: boolean | null;
}

/** The template fields drover reads (`structs.Template`). */
export interface TemplateSpec {
  SourcePath?: string | null;
  DestPath?: string | null;
  EmbeddedTmpl?: string | null;
  Perms?: string | null;
  Envvars?: boolean | null;
  LeftDelim?: string | null;
  RightDelim?: string | null;
  ChangeMode?: string | null;
  ChangeSignal?: string | null;
  ChangeScript?: ChangeScriptSpec | null;
  Splay?: number | null;
  Wait?: { Min?: number | null; Max?: number | null } | null;
  ErrMissingKey?: boolean | null;
  Uid?: number | null;
  Gid?: number | null;
  Once?: boolean | null;
}

/** Parses `KEY=VALUE` lines of an `env = true` template (blank lines and `#` comments skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`env template line ${JSON.stringify(line)} is not KEY=VALUE`);
    let value = line.slice(eq + 1);
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))))
      value = value.slice(1, -1);
    out[line.slice(0, eq).trim()] = value;
  }
  return out;
}

/** One rendered template, not yet written. */
export interface RenderedTemplate {
  /** The template. */
  spec: TemplateSpec;
  /** The allocation directory, which the write may not leave. */
  root: string;
  /** Its destination (absolute, inside the allocation directory). */
  file: string;
  /** Its content. */
  text: string;
  /** Its file mode. */
  mode: number;
}

/** The result of rendering a task's templates. */
export interface RenderedTemplates {
  /** Each template's output. */
  files: RenderedTemplate[];
  /** Environment variables of `env = true` templates. */
  env: Record<string, string>;
  /** What the renders read (to know which changes call for a re-render). */
  reads: TemplateReads;
}

/**
 * Renders a task's templates (consul-template's language: Go's
 * text/template with Nomad's functions), then `${...}` interpolation, without
 * writing anything. Throws `MissingDependencyError` when a variable a
 * template reads does not exist yet, and an error naming the template's
 * destination otherwise.
 */
export function renderTemplates(
  layout: AllocDirLayout,
  dirs: TaskDirs,
  templates: readonly TemplateSpec[],
  env: Record<string, string>,
  nodeVals: Record<string, string>,
  task: Omit<TemplateTask, "taskDir" | "allocRoot" | "env">,
  sources?: TemplateSources,
): RenderedTemplates {
  const extra: Record<string, string> = {};
  const reads: TemplateReads = { variables: false, services: false };
  const missing: string[] = [];
  const files: RenderedTemplate[] = [];
  for (const t of templates) {
    const dest = t.DestPath ?? "";
    const where = `template ${JSON.stringify(dest)}`;
    let source = t.EmbeddedTmpl ?? "";
    if (!t.EmbeddedTmpl && t.SourcePath) {
      const src = taskPath(layout, dirs.dir, interpolate(t.SourcePath, env, nodeVals), "template source");
      try {
        source = fs.readFileSync(src, "utf8");
      } catch (err) {
        throw new Error(
          `${where}: cannot read source ${JSON.stringify(t.SourcePath)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
    }
    const taskEnv = { ...env, ...extra };
    const funcs = templateFuncs({ ...task, taskDir: dirs.dir, allocRoot: layout.root, env: taskEnv }, sources, reads, missing);
    let text: string;
    try {
      text = executeTemplate(source, null, {
        funcs,
        errorOnMissingKey: t.ErrMissingKey === true,
        left: t.LeftDelim || "{{",
        right: t.RightDelim || "}}",
        name: dest || "out",
      });
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
    if (missing.length > 0) continue;
    text = interpolate(text, taskEnv, nodeVals);
    const file = taskPath(layout, dirs.dir, interpolate(dest, env, nodeVals), "template destination");
    const mode = t.Perms && /^[0-7]{3,4}$/.test(t.Perms) ? parseInt(t.Perms, 8) : 0o644;
    if (t.Perms && !/^[0-7]{3,4}$/.test(t.Perms)) throw new Error(`${where}: perms ${JSON.stringify(t.Perms)} is not an octal file mode`);
    files.push({ spec: t, root: layout.root, file, text, mode });
    if (t.Envvars) Object.assign(extra, parseEnvFile(text));
  }
  if (missing.length > 0) throw new MissingDependencyError([...new Set(missing)].sort());
  return { files, env: extra, reads };
}

/**
 * Writes one rendered template to its destination (the one place template
 * output reaches the disk): creates its directory, writes the content with
 * its mode, and sets its owner when `uid`/`gid` ask for it (only an agent
 * running as root may). Returns false when the file already had this content.
 */
export function writeTemplateOutput(r: RenderedTemplate): boolean {
  const { root, file, text, mode, spec } = r;
  // Read, written and chmod-ed through descriptors opened without following links out of the allocation directory.
  const files = new AllocFs(root);
  const rel = files.relative(file);
  let same = false;
  try {
    same = files.readFile(rel).toString("utf8") === text;
  } catch (err) {
    if (err instanceof OutsideAllocDirError) throw err; // not written yet otherwise
  }
  if (!same) files.replaceFile(rel, text, mode);
  else files.chmod(rel, mode);
  const wantOwner =
    (spec.Uid !== undefined && spec.Uid !== null && spec.Uid >= 0) || (spec.Gid !== undefined && spec.Gid !== null && spec.Gid >= 0);
  if (wantOwner) {
    const uid = spec.Uid ?? -1;
    const gid = spec.Gid ?? -1;
    if (process.getuid?.() !== 0 && !(uid === -1 || uid === process.getuid?.()))
      throw new Error(`template ${JSON.stringify(spec.DestPath)}: uid ${uid} can only be set when the agent runs as root`);
    if (process.getuid?.() === 0) files.chown(rel, uid, gid);
    else if (gid !== -1) files.chown(rel, -1, gid); // a member of the group may give it the file
  }
  return !same;
}
