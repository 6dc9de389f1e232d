import { Construct } from "constructs";
import { applyDeletion, applyOverride, splitOverridePath } from "./json-patch";
import { jsonCopy, JsonObject } from "./json";
import { checkProps, type PropProblem } from "./props/check";
import type { RenderContext } from "./render-context";

/** Problems of each construct's props, found when it was built (see `propProblemsOf`). */
const PROP_PROBLEMS = new WeakMap<NomadConstruct, PropProblem[]>();

/** The problems of a construct's props (unknown props, wrong types, missing required props), found when it was built or given more items. */
export function propProblemsOf(c: NomadConstruct): readonly PropProblem[] {
  return PROP_PROBLEMS.get(c) ?? [];
}

type Patch = { kind: "set"; path: string; value: unknown } | { kind: "delete"; path: string };

/**
 * The base of every drover construct that renders one block of a Nomad job
 * (job, group, task, service, network). It holds the escape hatches that
 * make every field of Nomad's model reachable, even those the DSL has no
 * prop for: overrides are applied to the construct's own rendered JSON
 * (PascalCase, as Nomad's API spells it) and the result is still validated.
 */
export abstract class NomadConstruct extends Construct {
  private readonly patches: Patch[] = [];

  /**
   * Sets a value in this construct's rendered JSON block. The path is
   * dot-separated in Nomad's JSON keys, numbers index lists, and `\.` is a
   * literal dot: `task.addOverride("Config.privileged", true)`,
   * `job.addOverride("TaskGroups.0.Tasks.0.KillSignal", "SIGINT")`.
   * Overrides apply in the order they are added, after the props are rendered.
   */
  public addOverride(path: string, value: unknown): void {
    splitOverridePath(path);
    this.patches.push({ kind: "set", path, value });
  }

  /** Removes a key (or list element) from this construct's rendered JSON block, e.g. `job.addDeletion("Update")`. */
  public addDeletion(path: string): void {
    splitOverridePath(path);
    this.patches.push({ kind: "delete", path });
  }

  /**
   * Checks props (or an item added later) against the interface `specName`
   * as declared in TypeScript; the problems are reported at synthesis with
   * this construct's path. `at` is where the value sits among the
   * construct's props (empty for the props themselves, `constraints[2]` for an
   * added constraint).
   */
  protected checkProps(specName: string, value: unknown, at = ""): void {
    this.recordPropProblems(checkProps(specName, value, at));
  }

  /** Records problems found in this construct's props (by `checkProps`, or by a driver's own check). */
  protected recordPropProblems(problems: readonly PropProblem[]): void {
    if (problems.length === 0) return;
    const list = PROP_PROBLEMS.get(this) ?? [];
    list.push(...problems);
    PROP_PROBLEMS.set(this, list);
  }

  /**
   * Throws a clear message when `id` is already taken by a child of this
   * construct (a task and a service of a group share one namespace of ids).
   */
  protected assertFreeId(id: string, what: string): void {
    const taken = this.node.tryFindChild(id);
    if (taken === undefined) return;
    const kind = taken.constructor.name.toLowerCase();
    const hint = what === "service" ? ` Give the service another id and set its name: addService("${id}-service", { name: "${id}" }).` : "";
    throw new Error(`${this.node.path}: cannot add ${what} "${id}": a ${kind} of that id already exists here.${hint}`);
  }

  /** Applies the overrides and deletions to a freshly rendered block; a path that cannot be applied is reported as a problem. */
  protected applyPatches(json: JsonObject, ctx: RenderContext): JsonObject {
    for (const p of this.patches) {
      try {
        if (p.kind === "set") applyOverride(json, p.path, jsonCopy(p.value) ?? null);
        else applyDeletion(json, p.path);
      } catch (err) {
        ctx.problem(
          { constructPath: this.node.path, prop: "" },
          `${p.kind === "set" ? "addOverride" : "addDeletion"}: ${(err as Error).message}`,
        );
      }
    }
    return json;
  }
}
