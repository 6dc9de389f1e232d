/**
 * Which fields of a job hold durations, read from lib/jobspec's model (the
 * zod schemas mark them), so that a plan can show `MinHealthyTime: 10s → 5s`
 * where Nomad's JSON has nanoseconds.
 */
import { formatGoDuration, JOB_MODEL } from "../jobspec";
import type { BlockModel, FieldKind } from "../jobspec";
import type { PathSegment } from "./change";

/** True when the field at `segments` (a path in a job, as `JobChange.segments` has it) holds a duration in nanoseconds. */
export function isDurationField(segments: readonly PathSegment[]): boolean {
  let block: BlockModel | undefined = JOB_MODEL;
  let field: FieldKind | undefined;
  for (const seg of segments) {
    if (typeof seg === "string") {
      if (field && field.kind === "map") {
        // A key of a map of blocks (e.g. TaskGroup.Volumes): the element is the block.
        block = field.block;
        field = undefined;
        continue;
      }
      if (!block) return false;
      field = block.fields.get(seg);
      if (!field) return false;
      block = field.kind === "block" ? field.block : undefined;
    } else {
      // An element of a list (by index or by name).
      if (!field || field.kind !== "list") return false;
      block = field.block;
      field = undefined;
    }
  }
  return field?.kind === "scalar" && field.scalar.type === "duration";
}

/** The value as a Go duration ("10s", "1m30s") when the field holds one and the value is a safe integer; undefined otherwise. */
export function formatDurationAt(segments: readonly PathSegment[], value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || !isDurationField(segments)) return undefined;
  return formatGoDuration(value);
}
