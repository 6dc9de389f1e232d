import { block, JsonObject } from "./json";

/** The `logs` block of a task: rotation of the task's stdout and stderr files. */
export interface LogsProps {
  /** How many rotated files to keep per stream. @default 10 */
  readonly maxFiles?: number;
  /** The size at which a file is rotated, in MB. @default 10 */
  readonly maxFileSizeMB?: number;
  /** Do not collect logs at all. @default false */
  readonly disabled?: boolean;
}

/** Renders the logs block as Nomad's `LogConfig`. */
export function renderLogs(l: LogsProps | undefined): JsonObject | undefined {
  if (l === undefined) return undefined;
  return block({ MaxFiles: l.maxFiles, MaxFileSizeMB: l.maxFileSizeMB, Disabled: l.disabled }) ?? {};
}
