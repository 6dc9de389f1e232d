/**
 * Per-evaluation feasibility caching by computed node class (Nomad's
 * `feasible.EvalEligibility`).
 */

/** What is known of a class for the job or a group. */
export type ClassStatus = "unknown" | "eligible" | "ineligible" | "escaped";

/** Class eligibility for the job and each task group during one evaluation. */
export class EvalEligibility {
  private readonly job = new Map<string, boolean>();
  private readonly groups = new Map<string, Map<string, boolean>>();
  /** The job's constraints use unique.* targets: job-level results are not cached. */
  jobEscaped = false;
  /** Groups whose constraints use unique.* targets. */
  readonly groupEscaped = new Set<string>();

  private lastJobClass = "";
  private lastJobEligible = false;

  /** Status of a class for the job's own constraints. */
  jobStatus(cls: string): ClassStatus {
    if (this.jobEscaped) return "escaped";
    if (cls === this.lastJobClass && cls !== "") return this.lastJobEligible ? "eligible" : "ineligible";
    const v = this.job.get(cls);
    if (v !== undefined) {
      this.lastJobClass = cls;
      this.lastJobEligible = v;
    }
    return v === undefined ? "unknown" : v ? "eligible" : "ineligible";
  }

  /** Records the job-level result for a class. */
  setJobEligibility(eligible: boolean, cls: string): void {
    if (this.jobEscaped) return;
    this.job.set(cls, eligible);
    if (cls === this.lastJobClass) this.lastJobEligible = eligible;
  }

  private lastGroup = "";
  private lastGroupMap: Map<string, boolean> | undefined;
  private lastGroupEscaped = false;

  private groupMap(tg: string): Map<string, boolean> | undefined {
    if (tg !== this.lastGroup || this.lastGroupMap === undefined) {
      this.lastGroup = tg;
      this.lastGroupMap = this.groups.get(tg);
      this.lastGroupEscaped = this.groupEscaped.has(tg);
    }
    return this.lastGroupMap;
  }

  /** Marks a group's constraints as escaping class caching. */
  escapeGroup(tg: string): void {
    this.groupEscaped.add(tg);
    if (tg === this.lastGroup) this.lastGroupEscaped = true;
  }

  private lastGroupClass = "";
  private lastGroupClassMap: Map<string, boolean> | undefined;
  private lastGroupClassEligible = false;

  /** Status of a class for a group's checks (drivers, constraints, network). */
  groupStatus(tg: string, cls: string): ClassStatus {
    const m = this.groupMap(tg);
    if (this.lastGroupEscaped) return "escaped";
    // Most nodes of a cluster share a few classes: remember the last answer (of this group's map).
    if (cls === this.lastGroupClass && cls !== "" && m !== undefined && m === this.lastGroupClassMap)
      return this.lastGroupClassEligible ? "eligible" : "ineligible";
    const v = m?.get(cls);
    if (v !== undefined) {
      this.lastGroupClass = cls;
      this.lastGroupClassMap = m;
      this.lastGroupClassEligible = v;
    }
    return v === undefined ? "unknown" : v ? "eligible" : "ineligible";
  }

  /** Records a group-level result for a class. */
  setGroupEligibility(eligible: boolean, tg: string, cls: string): void {
    if (this.groupEscaped.has(tg)) return;
    let m = this.groups.get(tg);
    if (!m) this.groups.set(tg, (m = new Map()));
    m.set(cls, eligible);
    if (tg === this.lastGroup) this.lastGroupMap = m;
    if (m === this.lastGroupClassMap && cls === this.lastGroupClass) this.lastGroupClassEligible = eligible;
  }

  /** True when any cached decision escaped class caching (the eval's `EscapedComputedClass`). */
  hasEscaped(): boolean {
    return this.jobEscaped || this.groupEscaped.size > 0;
  }

  /**
   * The eval's `ClassEligibility`: a class is eligible when the job and every
   * group that decided it found it eligible (Nomad's `GetClasses`).
   */
  getClasses(): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const [cls, ok] of this.job) out[cls] = ok;
    for (const m of this.groups.values()) {
      for (const [cls, ok] of m) {
        if (out[cls] === false) continue;
        if (ok) out[cls] = true;
        else out[cls] = false;
      }
    }
    return out;
  }
}
