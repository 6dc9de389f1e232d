/**
 * Readers of the jobs the importer takes: HCL job files (with variables),
 * API JSON (`{"Job": …}` as `nomad job run -output` prints it, or a bare
 * job), `nomad job inspect` output and jobs read from a cluster (a server's
 * stored job, normalized as lib/plan normalizes read-back jobs so that what
 * the server filled in does not appear in the code).
 */
import type { ParseJobHclOptions } from "../jobspec/hcl";
import { formatDiagnostics, isHclJobFile, looksLikeJson, parseJobHcl } from "../jobspec/hcl";
import { normalizeLive, SERVER_ONLY_JOB_FIELDS } from "../plan/normalize";
import type { ImportVariable } from "./variables";
import { traceVariables } from "./variables";
import { isObject as isObj } from "../util/object";

type Obj = Record<string, unknown>;

/** A job read for import. */
export interface SourceJob {
  /** The job as the source defines it (bare), the reference the program must reproduce. */
  readonly job: Obj;
  /** The job with variable markers in the strings that come from HCL variables (else `job`). */
  readonly traced: Obj;
  /** The HCL string variables the job uses. */
  readonly variables: readonly ImportVariable[];
  /** The values those variables had, for running the program as the source was read (`NOMAD_VAR_<name>`). */
  readonly inputs: Readonly<Record<string, string>>;
  /** Declared HCL variables written as their values (not strings, or used through functions). */
  readonly inlined: readonly string[];
  /** Where it came from: a file name or `job "ID"`. */
  readonly origin: string;
}

/** A job that cannot be imported: the reason, with the file and position where there is one. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}

/** True for a job as a server stores it (`GET /v1/job/:id`, `nomad job inspect`): it carries server-set fields. */
export function isReadBack(job: Obj): boolean {
  return SERVER_ONLY_JOB_FIELDS.some((k) => k !== "VaultToken" && k !== "ConsulToken" && job[k] !== undefined && job[k] !== null);
}

/** A job from the API JSON of a file or a response: `{"Job": …}` or bare; read-back jobs are normalized. */
export function fromApiJson(value: unknown, origin: string): SourceJob {
  let job: unknown = value;
  if (
    isObj(value) &&
    isObj(value.Job) &&
    Object.keys(value).every(
      (k) =>
        k === "Job" ||
        /^(EnforceIndex|JobModifyIndex|PolicyOverride|PreserveCounts|Submission|EvalPriority|Diff|Region|Namespace|SecretID)$/.test(k),
    )
  )
    job = value.Job;
  if (!isObj(job) || (job.ID === undefined && job.TaskGroups === undefined && job.Name === undefined)) {
    throw new ImportError(`${origin}: not a Nomad job: expected {"Job": {...}} or a job object with "ID" and "TaskGroups"`);
  }
  if (typeof job.ID !== "string" && typeof job.Name === "string") job = { ...job, ID: job.Name };
  if (typeof (job as Obj).ID !== "string" || (job as Obj).ID === "") throw new ImportError(`${origin}: the job has no ID`);
  // normalizeLive returns the typed job; the importer walks it as plain JSON.
  const bare = isReadBack(job as Obj) ? (normalizeLive(job) as unknown as Obj) : (job as Obj);
  return { job: bare, traced: bare, variables: [], inputs: {}, inlined: [], origin };
}

/** Options of {@link readJobText}: HCL variables as for `drover plan` (`-var`, `-var-file`, `NOMAD_VAR_*`). */
export type ReadOptions = Pick<ParseJobHclOptions, "argVars" | "varFiles" | "env" | "allowFs" | "baseDir">;

/**
 * Reads the job in a file's text: HCL (by the file name, or any text not
 * starting with `{`) or API JSON. Throws an `ImportError` with the file's
 * diagnostics when it cannot be read.
 */
export function readJobText(text: string, file: string, options: ReadOptions = {}): SourceJob {
  const json = looksLikeJson(text);
  if (json && !isHclJobFile(file)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new ImportError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    return fromApiJson(value, file);
  }
  const hclOptions: ParseJobHclOptions = { file, allowFs: true, ...options };
  const r = parseJobHcl(text, hclOptions);
  if (!r.job) throw new ImportError(formatDiagnostics(r.diagnostics.filter((d) => d.severity === "error")));
  const t = traceVariables(text, hclOptions, r.job, r.variables);
  return { job: r.job, traced: t.job, variables: t.variables, inputs: t.values, inlined: t.inlined, origin: file };
}
