/**
 * One thing wrong with a job found while synthesizing it, located by the
 * construct that produced it and the camelCase prop the user wrote.
 */
export interface SynthesisProblem {
  /** The construct path, e.g. `my-app/api/web/server` (`App` itself has no path segment). */
  readonly constructPath: string;
  /** The prop within the construct, camelCase with indexes, e.g. `resources.memoryMB` or `checks[0].interval`; empty for the construct itself. */
  readonly prop: string;
  /** What is wrong, e.g. `must be at least 10`. */
  readonly message: string;
  /** Where in the job JSON, when the problem came from validating it, e.g. `Job.TaskGroups[0].Tasks[1].Resources.MemoryMB`. */
  readonly jsonPath?: string;
}

/** Renders a problem as one line: `my-app/api/web/server: resources.memoryMB: minimum MemoryMB value is 10; got 5`. */
export function formatProblem(p: SynthesisProblem): string {
  const where = p.constructPath === "" ? "(app)" : p.constructPath;
  return p.prop ? `${where}: ${p.prop}: ${p.message}` : `${where}: ${p.message}`;
}
