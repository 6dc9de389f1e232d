/**
 * A compiled ACL (`acl.ACL`): the union of a token's policies, asked "may
 * this token do X": namespace capabilities with Nomad's glob matching (an
 * exact name first, else the closest glob), coarse node/agent/operator/
 * quota/plugin policies where `deny` wins over anything else, node pool and
 * host volume capabilities, and variable paths.
 */
import type { PolicyRules } from "./policy";

/** Coarse levels in rising order; deny is handled apart (it always wins). */
const LEVEL: Record<string, number> = { "": 0, list: 1, read: 2, write: 3 };

type CoarseArea = "node" | "agent" | "operator" | "quota" | "plugin";

/** Glob match with `*` as any run of characters. */
function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(name);
}

/** The rule whose name is `name`, else the matching glob closest to it (`findClosestMatchingGlob`: fewest characters left to the wildcards). */
function closest<T>(rules: Map<string, T>, name: string): T | undefined {
  const exact = rules.get(name);
  if (exact !== undefined) return exact;
  let best: T | undefined;
  let bestDiff = Infinity;
  for (const [pattern, rule] of rules) {
    if (!pattern.includes("*") || !globMatch(pattern, name)) continue;
    const diff = name.length - pattern.replace(/\*/g, "").length;
    if (diff < bestDiff) {
      best = rule;
      bestDiff = diff;
    }
  }
  return best;
}

/** What a token may do. */
export class ACL {
  /** The ACL of a management token: everything. */
  static readonly MANAGEMENT = new ACL(true, []);
  /** An ACL that allows nothing (used when ACLs are enabled and a token has no policy). */
  static readonly DENY_ALL = new ACL(false, []);

  private readonly namespaces = new Map<string, Set<string>>();
  private readonly variables = new Map<string, Map<string, Set<string>>>();
  private readonly nodePools = new Map<string, Set<string>>();
  private readonly hostVolumes = new Map<string, Set<string>>();
  private readonly coarse: Record<CoarseArea, string> = { node: "", agent: "", operator: "", quota: "", plugin: "" };

  /** Compiles the union of `policies`; `management` allows everything. */
  constructor(
    /** True for a management token. */
    readonly management: boolean,
    policies: readonly PolicyRules[],
  ) {
    const add = (m: Map<string, Set<string>>, name: string, caps: readonly string[]): void => {
      let s = m.get(name);
      if (!s) m.set(name, (s = new Set()));
      for (const c of caps) s.add(c);
    };
    for (const p of policies) {
      for (const ns of p.namespaces) {
        add(this.namespaces, ns.name, ns.capabilities);
        let paths = this.variables.get(ns.name);
        if (!paths) this.variables.set(ns.name, (paths = new Map()));
        for (const v of ns.variables) add(paths, v.path, v.capabilities);
      }
      for (const np of p.nodePools) add(this.nodePools, np.name, np.capabilities);
      for (const hv of p.hostVolumes) add(this.hostVolumes, hv.name, hv.capabilities);
      for (const area of Object.keys(this.coarse) as CoarseArea[]) {
        const level = p[area];
        if (level === "") continue;
        if (this.coarse[area] === "deny" || level === "deny") this.coarse[area] = "deny";
        else if (LEVEL[level] > LEVEL[this.coarse[area]]) this.coarse[area] = level;
      }
    }
  }

  /** The capabilities granted in `namespace` (empty when none; `deny` removes all). */
  private namespaceCapabilities(namespace: string): Set<string> {
    const caps = closest(this.namespaces, namespace);
    if (!caps || caps.has("deny")) return new Set();
    return caps;
  }

  /** True when the token has `capability` in `namespace` (`AllowNamespaceOperation`). */
  allowNamespaceOperation(namespace: string, capability: string): boolean {
    if (this.management) return true;
    return this.namespaceCapabilities(namespace).has(capability);
  }

  /** True when the token has any capability in `namespace` (`AllowNamespace`): it may see that the namespace exists. */
  allowNamespace(namespace: string): boolean {
    if (this.management) return true;
    return this.namespaceCapabilities(namespace).size > 0 || this.variablesIn(namespace);
  }

  /** True when the token has some variable capability in `namespace` (`AllowVariableSearch`). */
  allowVariableSearch(namespace: string): boolean {
    if (this.management) return true;
    return this.variablesIn(namespace);
  }

  private variablesIn(namespace: string): boolean {
    const paths = closest(this.variables, namespace);
    return !!paths && [...paths.values()].some((caps) => caps.size > 0 && !caps.has("deny"));
  }

  /** True when `capability` is granted in at least one namespace the rules name (for `namespace=*` requests, which are then filtered). */
  allowAnyNamespaceOperation(capability: string): boolean {
    if (this.management) return true;
    for (const caps of this.namespaces.values()) if (!caps.has("deny") && caps.has(capability)) return true;
    return false;
  }

  /** True when the token may use `capability` (list, read, write, destroy) on the variable at `path` in `namespace`. */
  allowVariableOperation(namespace: string, path: string, capability: string): boolean {
    if (this.management) return true;
    const paths = closest(this.variables, namespace);
    if (!paths) return false;
    const caps = closest(paths, path);
    return !!caps && !caps.has("deny") && caps.has(capability);
  }

  /** True when the token has `capability` (read, write, delete) on node pool `pool`. */
  allowNodePoolOperation(pool: string, capability: string): boolean {
    if (this.management) return true;
    const caps = closest(this.nodePools, pool);
    return !!caps && !caps.has("deny") && caps.has(capability);
  }

  /** True when the token may mount host volume `name` (`mount-readonly` or `mount-readwrite`). */
  allowHostVolumeOperation(name: string, capability: string): boolean {
    if (this.management) return true;
    const caps = closest(this.hostVolumes, name);
    return !!caps && !caps.has("deny") && caps.has(capability);
  }

  /** True when the coarse policy of `area` grants at least `level` (read, write; `list` for plugins). */
  allow(area: CoarseArea, level: "list" | "read" | "write"): boolean {
    if (this.management) return true;
    const have = this.coarse[area];
    return have !== "deny" && LEVEL[have] >= LEVEL[level];
  }
}
