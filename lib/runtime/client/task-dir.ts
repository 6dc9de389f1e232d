/**
 * Building a task's directory before it starts (Nomad's task dir, dispatch
 * payload and template hooks): the directory tree of `AllocDirLayout`, the
 * decoded dispatch payload in `local/<File>`, and templates with inline
 * `data` rendered to their destination.
 *
 * Templates: drover renders `${...}` interpolation and the
 * consul-template action `{{ env "NAME" }}` only; any other action fails
 * the task with a message that says so. `source` files and artifacts are
 * not supported (nothing is downloaded).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TaskDirs } from "../drivers/driver";
import type { AllocDirLayout } from "./alloc-dir";
import { AllocFs } from "./alloc-fs";
import { interpolate } from "./task-env";

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
  for (const d of [layout.sharedDir, path.join(layout.sharedDir, "data"), layout.logsDir, path.join(layout.sharedDir, "tmp"), dirs.dir, dirs.localDir, dirs.tmpDir]) files.mkdirp(files.relative(d), 0o777);
  // Secrets stay private (0700); a driver that runs the task as another user hands the directory to that user.
  files.mkdirp(files.relative(dirs.secretsDir), 0o700);
  return dirs;
}

/** Resolves a path the job gives relative to the task dir; refuses one that leaves the allocation directory. */
export function taskPath(layout: AllocDirLayout, taskDir: string, relative: string, what: string): string {
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

/** The template fields drover reads (`structs.Template`). */
export interface TemplateSpec {
  SourcePath?: string | null;
  DestPath?: string | null;
  EmbeddedTmpl?: string | null;
  Perms?: string | null;
  Envvars?: boolean | null;
  LeftDelim?: string | null;
  RightDelim?: string | null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Renders a template's text: `${...}` interpolation and `{{ env "NAME" }}`. Throws on other actions. */
export function renderTemplate(tmpl: TemplateSpec, env: Record<string, string>, nodeVals: Record<string, string>): string {
  const left = tmpl.LeftDelim || "{{";
  const right = tmpl.RightDelim || "}}";
  const text = tmpl.EmbeddedTmpl ?? "";
  const action = new RegExp(`${escapeRe(left)}-?\\s*([\\s\\S]*?)\\s*-?${escapeRe(right)}`, "g");
  const rendered = text.replace(action, (_whole, body: string) => {
    const m = /^env\s+"([^"]*)"$/.exec(body.trim());
    if (!m) throw new Error(`template action ${left} ${body.trim()} ${right} is not supported by drover (only ${left} env "NAME" ${right} and \${...} interpolation are)`);
    return env[m[1]] ?? "";
  });
  return interpolate(rendered, env, nodeVals);
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
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) value = value.slice(1, -1);
    out[line.slice(0, eq).trim()] = value;
  }
  return out;
}

/**
 * Renders a task's templates to their destinations; returns the variables
 * of `env = true` templates. Throws with the template's destination in the message.
 */
export function renderTemplates(layout: AllocDirLayout, dirs: TaskDirs, templates: readonly TemplateSpec[], env: Record<string, string>, nodeVals: Record<string, string>): Record<string, string> {
  const extra: Record<string, string> = {};
  const files = new AllocFs(layout.root);
  for (const t of templates) {
    const dest = t.DestPath ?? "";
    if (!t.EmbeddedTmpl && t.SourcePath) throw new Error(`template ${JSON.stringify(dest)}: source files are not supported by drover (use an inline data block)`);
    const text = renderTemplate(t, { ...env, ...extra }, nodeVals);
    const file = taskPath(layout, dirs.dir, interpolate(dest, env, nodeVals), "template destination");
    const mode = t.Perms && /^[0-7]{3,4}$/.test(t.Perms) ? parseInt(t.Perms, 8) : 0o644;
    // Written and chmod-ed through a descriptor opened without following links out of the allocation directory.
    files.writeFile(files.relative(file), text, mode);
    if (t.Envvars) Object.assign(extra, parseEnvFile(text));
  }
  return extra;
}
