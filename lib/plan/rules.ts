/**
 * Nomad's update rules as drover applies them to a local diff:
 * which changes force a new job (`nomad/job_endpoint.go validateJobUpdate`)
 * and which replace allocations (`scheduler/util.go tasksUpdated`).
 */
import type { ChangeEffect, PathSegment } from "./change";

/** A job-like object (desired or live, normalized). */
export type JobLike = Record<string, unknown>;

/** Why a new job is needed, or [] when the change can be made in place. */
export function replacementReasons(desired: JobLike, live: JobLike): string[] {
  const reasons: string[] = [];
  const str = (v: unknown, dflt: string) => (typeof v === "string" && v !== "" ? v : dflt);
  if (str(desired.ID, "") !== str(live.ID, ""))
    reasons.push(`ID changes from "${str(live.ID, "")}" to "${str(desired.ID, "")}" (a different job)`);
  if (str(desired.Namespace, "default") !== str(live.Namespace, "default"))
    reasons.push(`Namespace changes from "${str(live.Namespace, "default")}" to "${str(desired.Namespace, "default")}" (a different job)`);
  if (str(desired.Region, "global") !== str(live.Region, "global"))
    reasons.push(`Region changes from "${str(live.Region, "global")}" to "${str(desired.Region, "global")}" (stored per region)`);
  if (str(desired.Type, "service") !== str(live.Type, "service"))
    reasons.push(
      `Type changes from "${str(live.Type, "service")}" to "${str(desired.Type, "service")}" (Nomad refuses: cannot update job from type "${str(live.Type, "service")}" to "${str(desired.Type, "service")}")`,
    );
  const has = (j: JobLike, k: string) => j[k] !== undefined && j[k] !== null;
  if (has(desired, "Periodic") !== has(live, "Periodic"))
    reasons.push(
      has(desired, "Periodic")
        ? "the job becomes periodic (Nomad refuses in place)"
        : "the job stops being periodic (Nomad refuses in place)",
    );
  if (has(desired, "ParameterizedJob") !== has(live, "ParameterizedJob"))
    reasons.push(
      has(desired, "ParameterizedJob")
        ? "the job becomes parameterized (Nomad refuses in place)"
        : "the job stops being parameterized (Nomad refuses in place)",
    );
  return reasons;
}

/** True when only a new job can realize `desired` (ID, Namespace, Region, Type, periodic ↔ not, parameterized ↔ not). */
export function requiresReplacement(desired: JobLike, live: JobLike): boolean {
  return replacementReasons(desired, live).length > 0;
}

/** Top-level job fields whose change forces replacement. */
export const REPLACEMENT_FIELDS = new Set(["ID", "Namespace", "Region", "Type"]);

/** Task fields whose change replaces allocations (`tasksUpdated`). */
const DESTRUCTIVE_TASK_FIELDS = new Set([
  "Driver",
  "User",
  "Config",
  "Env",
  "Artifacts",
  "Vault",
  "Secrets",
  "Templates",
  "CSIPluginConfig",
  "VolumeMounts",
  "Meta",
  "Identity",
  "Identities",
  "Consul",
]);
/** Resource fields whose change replaces allocations. */
const DESTRUCTIVE_RESOURCE_FIELDS = new Set(["CPU", "Cores", "MemoryMB", "MemoryMaxMB", "Devices", "NUMA", "SecretsMB", "Networks"]);
/** Group fields whose change replaces allocations. */
const DESTRUCTIVE_GROUP_FIELDS = new Set(["EphemeralDisk", "Networks", "Consul", "Volumes", "Meta"]);

/**
 * Classifies a change at `segments` (a path in the job) by what Nomad does
 * about it. `kind` tells additions and removals of whole groups and tasks apart.
 */
export function classifyChange(segments: PathSegment[], kind: "add" | "remove" | "update"): ChangeEffect {
  const [top, group, gField, task, tField, sub] = segments;
  if (
    typeof top === "string" &&
    (REPLACEMENT_FIELDS.has(top) || ((top === "Periodic" || top === "ParameterizedJob") && segments.length === 1 && kind !== "update"))
  )
    return "replace";
  if (top === "Meta") return "destructive"; // job Meta is part of every task's combined meta
  if (top !== "TaskGroups") return "in-place";
  if (segments.length === 2) return kind === "add" ? "create" : kind === "remove" ? "destroy" : "in-place";
  if (gField === "Count") return "scale";
  if (typeof gField === "string" && DESTRUCTIVE_GROUP_FIELDS.has(gField)) return "destructive";
  if (gField === "RestartPolicy" && segments[3] === "RenderTemplates") return "destructive";
  if (gField === "Services" && segments.includes("Connect")) return "destructive";
  if (gField === "Tasks") {
    if (segments.length === 4) return "destructive"; // a task added, removed or renamed
    if (typeof tField === "string" && DESTRUCTIVE_TASK_FIELDS.has(tField)) return "destructive";
    if (tField === "Resources" && (sub === undefined || (typeof sub === "string" && DESTRUCTIVE_RESOURCE_FIELDS.has(sub))))
      return "destructive";
    if (tField === "LogConfig" && (sub === undefined || sub === "Disabled"))
      return sub === undefined && kind === "update" ? "in-place" : "destructive";
    if (tField === "RestartPolicy" && sub === "RenderTemplates") return "destructive";
    if (tField === "Services" && segments.includes("Connect")) return "destructive";
  }
  void group;
  void task;
  return "in-place";
}
