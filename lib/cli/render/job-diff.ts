/**
 * A job diff from Nomad's API (`/v1/job/:id/versions?diffs=true`, the plan
 * endpoint) as Nomad's CLI prints it (`formatJobDiff` in command/job_plan.go),
 * without colours: `+` added, `-` deleted, `+/-` edited, fields aligned
 * within each block, objects in braces, groups and tasks with their
 * annotations. Unchanged parts are left out unless `verbose`.
 */
import type { FieldDiff, JobDiff, ObjectDiff, TaskDiff, TaskGroupDiff } from "../../api";

function marker(type: string): string {
  return type === "Added" ? "+ " : type === "Deleted" ? "- " : type === "Edited" ? "+/- " : "";
}

const spaces = (n: number) => " ".repeat(Math.max(0, n));

/** The widest field name and marker among `fields` and `objects`. */
function widths(fields: readonly FieldDiff[], objects: readonly ObjectDiff[]): { field: number; marker: number } {
  let field = 0;
  let mark = 0;
  for (const f of fields) {
    field = Math.max(field, f.Name.length);
    mark = Math.max(mark, marker(f.Type).length);
  }
  for (const o of objects) mark = Math.max(mark, marker(o.Type).length);
  return { field, marker: mark };
}

function fieldLine(f: FieldDiff, start: number, keyPad: number, valuePad: number): string {
  const value =
    f.Type === "Added"
      ? JSON.stringify(f.New)
      : f.Type === "Deleted"
        ? JSON.stringify(f.Old)
        : f.Type === "Edited"
          ? `${JSON.stringify(f.Old)} => ${JSON.stringify(f.New)}`
          : JSON.stringify(f.New);
  const notes = f.Annotations?.length ? ` (${f.Annotations.join(", ")})` : "";
  return `${spaces(start)}${marker(f.Type)}${spaces(keyPad)}${f.Name}: ${spaces(valuePad)}${value}${notes}`;
}

function objectBlock(o: ObjectDiff, start: number, keyPad: number): string {
  const inner = aligned(o.Fields ?? [], o.Objects ?? [], start + keyPad + 2);
  return `${spaces(start)}${marker(o.Type)}${spaces(keyPad)}${o.Name} {\n${inner}\n${spaces(start + marker(o.Type).length + keyPad)}}`;
}

/** Fields then objects, one per line, aligned on the widest marker and name. */
function aligned(fields: readonly FieldDiff[], objects: readonly ObjectDiff[], start: number): string {
  const w = widths(fields, objects);
  const lines = [
    ...fields.map((f) => fieldLine(f, start, w.marker - marker(f.Type).length, w.field - f.Name.length)),
    ...objects.map((o) => objectBlock(o, start, w.marker - marker(o.Type).length)),
  ];
  return lines.join("\n");
}

function taskBlock(t: TaskDiff, start: number, taskPad: number, verbose: boolean): string {
  let out = `${spaces(start)}${marker(t.Type)}${spaces(taskPad)}Task: ${JSON.stringify(t.Name)}`;
  if (t.Annotations?.length) out += ` (${t.Annotations.join(", ")})`;
  if (t.Type === "None" || ((t.Type === "Added" || t.Type === "Deleted") && !verbose)) return out;
  return `${out}\n${aligned(t.Fields ?? [], t.Objects ?? [], start + 2)}`;
}

function groupBlock(g: TaskGroupDiff, pad: number, verbose: boolean): string {
  let out = `${marker(g.Type)}${spaces(pad)}Task Group: ${JSON.stringify(g.Name)}`;
  const updates = Object.keys(g.Updates ?? {}).sort();
  out += updates.length ? ` (${updates.map((u) => `${g.Updates![u]} ${u}`).join(", ")})\n` : "\n";
  const tasks = g.Tasks ?? [];
  let mark = widths(g.Fields ?? [], g.Objects ?? []).marker;
  for (const t of tasks) mark = Math.max(mark, marker(t.Type).length);
  const start = pad + 2;
  if (g.Type === "Edited" || verbose) {
    const fo = aligned(g.Fields ?? [], g.Objects ?? [], start);
    if (fo) out += `${fo}\n`;
  }
  for (const t of tasks) out += `${taskBlock(t, start, mark - marker(t.Type).length, verbose)}\n`;
  return out;
}

/** The diff as Nomad's CLI prints it (ends with a newline). */
export function renderJobDiff(diff: JobDiff, verbose = false): string {
  let out = `${marker(diff.Type)}Job: ${JSON.stringify(diff.ID)}\n`;
  const groups = diff.TaskGroups ?? [];
  let mark = widths(diff.Fields ?? [], diff.Objects ?? []).marker;
  for (const g of groups) mark = Math.max(mark, marker(g.Type).length);
  if (diff.Type === "Edited" || verbose) {
    const fo = aligned(diff.Fields ?? [], diff.Objects ?? [], 0);
    if (fo) out += `${fo}\n`;
  }
  for (const g of groups) out += `${groupBlock(g, mark - marker(g.Type).length, verbose)}\n`;
  return out;
}
