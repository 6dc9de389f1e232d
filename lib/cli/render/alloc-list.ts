/**
 * The allocation table of `nomad job status`, `nomad job allocs` and
 * `nomad eval status` (`formatAllocListStubs` in Nomad's command/job_status.go).
 */
import type { AllocationListStub } from "../../api";
import { formatList, formatTime, prettyTimeDiff, shortID } from "./status-format";

/** How `renderAllocList` lays the table out. */
interface AllocListOptions {
  /** Unix ms "now" for the relative Created and Modified times. */
  nowMs: number;
  /** Full IDs, the Eval ID and Node Name columns, and absolute times (`-verbose`). @default false */
  verbose?: boolean;
}

/** The allocations as an aligned table in the order given (no trailing newline); "No allocations placed" when there are none. */
export function renderAllocList(allocs: readonly AllocationListStub[], opts: AllocListOptions): string {
  if (allocs.length === 0) return "No allocations placed";
  const idLen = opts.verbose ? 36 : 8;
  const rows = [
    opts.verbose
      ? "ID|Eval ID|Node ID|Node Name|Task Group|Version|Desired|Status|Created|Modified"
      : "ID|Node ID|Task Group|Version|Desired|Status|Created|Modified",
  ];
  for (const a of allocs) {
    const time = (ns: number) => (opts.verbose ? formatTime(ns / 1e6) : prettyTimeDiff(ns / 1e6, opts.nowMs));
    const ids = opts.verbose
      ? [shortID(a.ID, idLen), shortID(a.EvalID, idLen), shortID(a.NodeID, idLen), a.NodeName]
      : [shortID(a.ID, idLen), shortID(a.NodeID, idLen)];
    rows.push([...ids, a.TaskGroup, a.JobVersion, a.DesiredStatus, a.ClientStatus, time(a.CreateTime), time(a.ModifyTime)].join("|"));
  }
  return formatList(rows);
}
