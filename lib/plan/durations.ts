/**
 * Which fields of a job hold durations, read from lib/jobspec's model (the
 * zod schemas mark them), so that a plan can show `MinHealthyTime: 10s → 5s`
 * where Nomad's JSON has nanoseconds.
 */
import { fieldAtPath, formatGoDuration } from "../jobspec";
import type { PathSegment } from "./change";

/** True when the field at `segments` (a path in a job, as `JobChange.segments` has it) holds a duration in nanoseconds. */
export function isDurationField(segments: readonly PathSegment[]): boolean {
  const field = fieldAtPath(segments);
  return field?.kind === "scalar" && field.scalar.type === "duration";
}

/** The value as a Go duration ("10s", "1m30s") when the field holds one and the value is a safe integer; undefined otherwise. */
export function formatDurationAt(segments: readonly PathSegment[], value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || !isDurationField(segments)) return undefined;
  return formatGoDuration(value);
}
