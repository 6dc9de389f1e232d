/** What the `drover var …` subcommands share: output formats, and check-and-set conflicts as Nomad's CLI reports them. */
import { UsageError } from "../../command";
import type { CommandIO } from "../../command";
import type { ParsedArgs } from "../../args";
import type { Variable, VariableMetadata } from "../../../api";
import { VariableConflictError } from "../../../api";
import { JobCommandError, stringFlag } from "../subcommand-common";

/** An output format of `drover var get|put`. */
export type VarFormat = "json" | "hcl" | "table" | "none";

/**
 * The `-out` format: one of `allowed`, else `fallback` (Nomad picks by
 * whether stdout is a terminal). `go-template` is refused: drover's CLI has
 * no Go template output.
 */
export function outFormat<F extends string>(args: ParsedArgs, allowed: readonly F[], fallback: F): F {
  const out = stringFlag(args, "out");
  if (out === undefined) return fallback;
  if (out === "go-template") throw new UsageError(`-out go-template is not supported by drover; use one of ${allowed.join(", ")}`);
  if (!(allowed as readonly string[]).includes(out))
    throw new UsageError(`Invalid value for "-out"; valid values are [${allowed.join(", ")}]`);
  return out as F;
}

/** Parses `-check-index`; undefined when not given. */
export function checkIndex(args: ParsedArgs): number | undefined {
  const v = stringFlag(args, "check-index");
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`-check-index must be a non-negative integer, got "${v}"`);
  return Number(v);
}

/** RFC 3339 of unix nanoseconds, as Nomad's CLI prints times. */
function time(ns: number): string {
  return new Date(Math.floor(ns / 1e6)).toISOString();
}

/** Aligned "key = value" lines, as Nomad's `formatKV`. */
function kv(rows: [string, string][]): string {
  const w = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)} = ${v}`).join("\n") + "\n";
}

/** A variable as `nomad var get -out table` shows it. */
function renderVarTable(v: Variable): string {
  const meta: [string, string][] = [
    ["Namespace", v.Namespace],
    ["Path", v.Path],
    ["Create Time", time(v.CreateTime)],
  ];
  if (v.CreateTime !== v.ModifyTime) meta.push(["Modify Time", time(v.ModifyTime)]);
  meta.push(["Check Index", String(v.ModifyIndex)]);
  const items = Object.keys(v.Items ?? {})
    .sort()
    .map((k): [string, string] => [k, (v.Items ?? {})[k]]);
  return `${kv(meta)}\nItems\n${items.length ? kv(items) : ""}`;
}

/** A variable as `nomad var get -out hcl` shows it (keys right-aligned, values quoted). */
function renderVarHcl(v: Variable): string {
  const items = v.Items ?? {};
  const pad = Math.max(0, ...Object.keys(items).map((k) => k.length));
  const lines = Object.keys(items)
    .sort()
    .map((k) => `  ${k.padStart(pad)} = ${JSON.stringify(items[k])}\n`)
    .join("");
  return `namespace    = ${JSON.stringify(v.Namespace)}
path         = ${JSON.stringify(v.Path)}
create_index = ${v.CreateIndex}  # Set by server
modify_index = ${v.ModifyIndex}  # Set by server; consulted for check-and-set
create_time  = ${v.CreateTime}   # Set by server
modify_time  = ${v.ModifyTime}   # Set by server

items = {
${lines}}
`;
}

/** Writes a variable in `format`. */
export function writeVar(io: CommandIO, v: Variable, format: VarFormat): void {
  if (format === "json") io.out.write(JSON.stringify(v, null, 2) + "\n");
  else if (format === "hcl") io.out.write(renderVarHcl(v));
  else if (format === "table") io.out.write(renderVarTable(v));
}

/** The metadata list as `nomad var list -out table` shows it. */
export function renderVarList(list: VariableMetadata[], allNamespaces: boolean): string {
  if (list.length === 0) return "No matching variables found\n";
  const head = allNamespaces ? ["Namespace", "Path", "Last Updated"] : ["Path", "Last Updated"];
  const rows = list.map((v) => (allNamespaces ? [v.Namespace, v.Path, time(v.ModifyTime)] : [v.Path, time(v.ModifyTime)]));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

/** Turns a check-and-set conflict into the failure Nomad's CLI reports. */
export function casFailure(err: unknown): never {
  if (err instanceof VariableConflictError) {
    const c = err.conflict;
    const last =
      c.ModifyIndex > 0
        ? ` The variable was last modified at ${time(c.ModifyTime)} (check index ${c.ModifyIndex}).`
        : " The variable does not exist (or is locked).";
    throw new JobCommandError(`Check-and-Set conflict: your provided check-index does not match the server-side index.${last}`);
  }
  throw err;
}
