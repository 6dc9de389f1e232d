/** Problems found in a job: where, what, and which rule. */

/** One problem (an error or a warning) found in a job. */
export interface JobProblem {
  /** Where, e.g. `Job.TaskGroups[0].Tasks[1].Resources.MemoryMB` (`Job` is the root, also for bare jobs). */
  path: string;
  /** The same location as segments: `["Job", "TaskGroups", 0, "Tasks", 1, "Resources", "MemoryMB"]`. */
  segments: (string | number)[];
  /** What is wrong and, where it helps, what to write instead. */
  message: string;
  /** The id of the rule that found it (e.g. `task.driver.required`, `schema.type`), stable for tooling. */
  rule?: string;
}

/** The result of validateJob: the validated job, or every problem found. */
export type JobValidationResult =
  | {
      /** The job is valid (it may still have warnings). */
      valid: true;
      /** The job as given (the input's own job object, not a copy; not canonicalized). */
      job: import("./types.generated").Job;
      /**
       * The job with Nomad's defaults, exactly what `canonicalize(job)` returns
       * (validation computes it anyway to apply Nomad's rules; reuse it rather
       * than canonicalizing again).
       */
      canonical: import("./types.generated").Job;
      /** Things Nomad accepts but ignores or deprecates. */
      warnings: JobProblem[];
    }
  | {
      /** The job is invalid. */
      valid: false;
      /** Every error found, each with its path. */
      problems: JobProblem[];
      /** Things Nomad accepts but ignores or deprecates. */
      warnings: JobProblem[];
    };

/** Formats segments as a path: `Job.TaskGroups[0].Meta["a.b"]`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
