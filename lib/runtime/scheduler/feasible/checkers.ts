/**
 * Feasibility checkers (Nomad's `ConstraintChecker`, `DriverChecker`,
 * `NetworkChecker` in `scheduler/feasible/feasible.go`). Each says whether a
 * node can run the job or group, and records why not in the metrics.
 */
import type { Node } from "../../structs";
import { allocSuffix } from "../../structs";
import type { EvalContext } from "../context";
import type { ConstraintView, NetworkView, TaskGroupView } from "../job-view";
import { filterNode } from "../metrics";
import { checkConstraint } from "./operators";
import { resolveTarget, targetEscapes } from "./target";

/** A check of one node. */
export interface FeasibilityChecker {
  /** True when the node passes; otherwise the reason is recorded in ctx.metrics. */
  feasible(node: Node): boolean;
}

/** Nomad's `Constraint.String()`: "LTarget Operand RTarget". */
function constraintString(c: ConstraintView): string {
  return `${c.LTarget ?? ""} ${c.Operand ?? ""} ${c.RTarget ?? ""}`;
}

/** True when a node meets one constraint (or affinity) with Nomad's operator semantics. */
export function meetsConstraint(ctx: EvalContext, c: ConstraintView, node: Node): boolean {
  const l = resolveTarget(c.LTarget ?? "", node);
  const r = resolveTarget(c.RTarget ?? "", node);
  return checkConstraint(ctx.operators, c.Operand ?? "=", l.value, r.value, l.found, r.found);
}

/** True when any constraint uses a unique.* target (`EscapedConstraints`). */
export function constraintsEscape(cs: readonly ConstraintView[]): boolean {
  return cs.some((c) => targetEscapes(c.LTarget) || targetEscapes(c.RTarget));
}

/** Checks a list of constraints; records the first failing one as "LTarget Operand RTarget". */
export class ConstraintChecker implements FeasibilityChecker {
  constructor(
    private readonly ctx: EvalContext,
    /** The constraints to check (distinct_* operands pass here). */
    public constraints: readonly ConstraintView[],
  ) {}

  feasible(node: Node): boolean {
    for (const c of this.constraints) {
      if (!meetsConstraint(this.ctx, c, node)) {
        filterNode(this.ctx.metrics, node, constraintString(c));
        return false;
      }
    }
    return true;
  }
}

/** True when the node can run the driver: `Drivers[name]` detected and healthy, else the `driver.<name>` attribute parses as true. */
export function nodeHasDriver(node: Node, driver: string): boolean {
  const info = node.Drivers?.[driver];
  if (info) return info.Detected && info.Healthy;
  const attr = node.Attributes[`driver.${driver}`];
  if (attr === undefined) return false;
  return attr === "1" || attr.toLowerCase() === "true" || attr === "t" || attr === "T";
}

/** Checks that the node has every driver the group's tasks use ("missing drivers"). */
export class DriverChecker implements FeasibilityChecker {
  constructor(
    private readonly ctx: EvalContext,
    /** Driver names the group needs. */
    public drivers: readonly string[],
  ) {}

  feasible(node: Node): boolean {
    for (const d of this.drivers) {
      if (!nodeHasDriver(node, d)) {
        filterNode(this.ctx.metrics, node, "missing drivers");
        return false;
      }
    }
    return true;
  }
}

/** Checks that the node has a network of the group's mode ("host" by default; "none" always passes): "missing network". */
export class NetworkChecker implements FeasibilityChecker {
  constructor(
    private readonly ctx: EvalContext,
    /** The group network, or null when the group asks none. */
    public network: NetworkView | null,
  ) {}

  feasible(node: Node): boolean {
    if (!this.network) return true;
    const mode = this.network.Mode || "host";
    if (mode === "none" || mode !== "host") return true;
    if (node.NodeResources.Networks.some((n) => n.Mode === "host")) return true;
    filterNode(this.ctx.metrics, node, "missing network");
    return false;
  }
}

/** The constraints of a group and all its tasks, as Nomad's tgConstraint checker combines them. */
export function groupConstraints(tg: TaskGroupView): ConstraintView[] {
  const out: ConstraintView[] = [...(tg.Constraints ?? [])];
  for (const t of tg.Tasks) out.push(...(t.Constraints ?? []));
  return out;
}

/** The distinct driver names of a group's tasks. */
export function groupDrivers(tg: TaskGroupView): string[] {
  return [...new Set(tg.Tasks.map((t) => t.Driver))];
}

/** One `volume` request of a group, as the scheduler reads it (`structs.VolumeRequest`). */
interface VolumeRequestView {
  Type?: string | null;
  Source?: string | null;
  ReadOnly?: boolean | null;
  PerAlloc?: boolean | null;
}

/**
 * Checks the group's volume requests (Nomad's `HostVolumeChecker` and
 * `CSIVolumeChecker`): a host volume needs a node that has it (writable
 * unless the request is read-only), else "missing compatible host
 * volumes"; a `per_alloc` request needs the volume named after the
 * allocation's index, `<source>[<index>]` (set per placement with
 * `setAllocName`); CSI volumes cannot be placed here, since this agent runs
 * no CSI plugins ("CSI plugins are not available on this agent").
 */
export class VolumeChecker implements FeasibilityChecker {
  private readonly host: VolumeRequestView[] = [];
  private readonly csi: boolean;
  private suffix = "";

  constructor(
    private readonly ctx: EvalContext,
    volumes: unknown,
  ) {
    const reqs = volumes && typeof volumes === "object" ? (Object.values(volumes) as VolumeRequestView[]) : [];
    for (const r of reqs) if ((r.Type || "host") === "host") this.host.push(r);
    this.csi = reqs.some((r) => r.Type === "csi");
  }

  /** The allocation being placed (`job.group[index]`), for `per_alloc` requests. */
  setAllocName(name: string): void {
    this.suffix = allocSuffix(name);
  }

  feasible(node: Node): boolean {
    if (this.csi) {
      filterNode(this.ctx.metrics, node, "CSI plugins are not available on this agent");
      return false;
    }
    for (const r of this.host) {
      const source = r.PerAlloc ? `${r.Source ?? ""}${this.suffix}` : (r.Source ?? "");
      const have = node.HostVolumes?.[source];
      if (!have || (have.ReadOnly && !r.ReadOnly)) {
        filterNode(this.ctx.metrics, node, "missing compatible host volumes");
        return false;
      }
    }
    return true;
  }
}
