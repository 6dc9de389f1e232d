/**
 * Prefix and fuzzy search (Nomad's `nomad/search_endpoint.go`): IDs of jobs,
 * evaluations, allocations, nodes, node pools, deployments and namespaces
 * that start with a prefix, and names that contain a text (fuzzy), with
 * Nomad's limits, scoring and truncation flags.
 */
import type { StateStore, TableName } from "../state";
import { groupTasks, jobGroups, type Node, type StoredJob } from "../structs";
import { badRequest } from "./errors";

/** The contexts of Nomad's open-source search, in Nomad's order. */
const SEARCH_CONTEXTS = [
  "allocs",
  "jobs",
  "nodes",
  "node_pools",
  "evals",
  "deployment",
  "plugins",
  "volumes",
  "scaling_policy",
  "vars",
  "namespaces",
  "host_volumes",
] as const;

/** Most matches a prefix search returns per context (Nomad's `truncateLimit`). */
const PREFIX_TRUNCATE_LIMIT = 20;

/** Nomad's default search settings (the agent's `search` block). */
const FUZZY_DEFAULTS = { limitQuery: 20, limitResults: 100, minTermLength: 2 } as const;

/** A fuzzy match: the matched name and the IDs of the objects it belongs to. */
export interface FuzzyMatch {
  /** The matched name (or ID for UUID contexts). */
  ID: string;
  /** IDs of the parent objects (namespace, job, group, task), when any. */
  Scope?: string[];
}

/** The tables a context reads (for the response index). */
const CONTEXT_TABLES: Partial<Record<string, TableName[]>> = {
  allocs: ["allocs"],
  jobs: ["jobs"],
  nodes: ["nodes"],
  node_pools: ["node_pools"],
  evals: ["evals"],
  deployment: ["deployment"],
  namespaces: ["jobs"],
  scaling_policy: ["scaling_policy"],
};

/** Checks a request's context; "" means all, as in Nomad. */
function expand(context: unknown): (typeof SEARCH_CONTEXTS)[number][] {
  const c = context === undefined || context === "" ? "all" : context;
  if (c === "all") return [...SEARCH_CONTEXTS];
  if (typeof c === "string" && (SEARCH_CONTEXTS as readonly string[]).includes(c)) return [c as (typeof SEARCH_CONTEXTS)[number]];
  throw badRequest(`context must be one of [${SEARCH_CONTEXTS.join(" ")}] or 'all' for all contexts; got ${JSON.stringify(c)}`);
}

const inNamespace = (namespace: string, ns: string) => namespace === "*" || ns === namespace;
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the request's ACL token may see (Nomad's `sufficientSearchPerms` and
 * the per-namespace filtering of its search endpoint): objects of a
 * namespace only with `read-job` there, nodes and node pools only with
 * `node:read`. Without ACLs everything is visible.
 */
export interface SearchVisibility {
  /** Whether objects of namespace `ns` may be shown. */
  namespace(ns: string): boolean;
  /** Whether nodes and node pools may be shown. */
  readonly nodes: boolean;
}

/** Everything visible (ACLs disabled). */
const SEARCH_ALL_VISIBLE: SearchVisibility = { namespace: () => true, nodes: true };

/** Reads the objects of each searchable context. */
class SearchSource {
  constructor(
    private readonly store: StateStore,
    /** The request's namespace ("*": all). */
    readonly namespace: string,
    private readonly can: SearchVisibility,
  ) {}

  /** Whether an object of namespace `ns` is searched: in the request's namespace, and visible to the token. */
  visible(ns: string): boolean {
    return inNamespace(this.namespace, ns) && this.can.namespace(ns);
  }

  /** The nodes the token may see. */
  nodes(): readonly Node[] {
    return this.can.nodes ? this.store.nodes() : [];
  }

  /** The IDs (or names) of a context's objects, in the order Nomad's tables hold them. */
  ids(context: string): string[] {
    const s = this.store;
    switch (context) {
      case "jobs":
        return this.jobs().map((j) => j.ID);
      case "allocs":
        return [...s.allocs()]
          .filter((a) => this.visible(a.Namespace))
          .map((a) => a.ID)
          .sort(byString);
      case "evals":
        return [...s.evals()]
          .filter((e) => this.visible(e.Namespace))
          .map((e) => e.ID)
          .sort(byString);
      case "deployment":
        return [...s.deployments()]
          .filter((d) => this.visible(d.Namespace))
          .map((d) => d.ID)
          .sort(byString);
      case "nodes":
        return this.nodes().map((n) => n.ID);
      case "node_pools":
        return this.nodePools();
      case "namespaces":
        return this.namespaces();
      case "scaling_policy":
        return s
          .scalingPolicies({ namespace: "*" })
          .filter((p) => this.visible(p.Target.Namespace))
          .map((p) => p.ID);
      default:
        // Plugins, volumes, variables and host volumes: the runtime has none.
        return [];
    }
  }

  /** The jobs searched. */
  jobs(): StoredJob[] {
    return this.store.jobs(this.namespace).filter((j) => this.can.namespace(j.Namespace));
  }

  /** Every node pool (the built-in ones included), sorted. */
  nodePools(): string[] {
    if (!this.can.nodes) return [];
    return this.store
      .nodePools()
      .map((p) => p.Name)
      .sort(byString);
  }

  /** "default" and every namespace a job is in, sorted. */
  namespaces(): string[] {
    const names = new Set(["default"]);
    for (const j of this.store.jobs("*")) names.add(j.Namespace);
    return [...names].filter((n) => this.can.namespace(n)).sort(byString);
  }
}

/** The search endpoint. */
export class SearchEndpoint {
  constructor(private readonly store: StateStore) {}

  /** The response index: the highest index of the tables the contexts read. */
  private index(contexts: readonly string[]): number {
    const tables = new Set<TableName>();
    for (const c of contexts) for (const t of CONTEXT_TABLES[c] ?? []) tables.add(t);
    return tables.size ? this.store.indexOf([...tables]) : this.store.latestIndex();
  }

  /** `POST /v1/search`: IDs starting with `prefix` per context, at most 20 each, and whether more were left out. */
  prefix(
    req: { Prefix?: unknown; Context?: unknown },
    namespace: string,
    can: SearchVisibility = SEARCH_ALL_VISIBLE,
  ): { Matches: Record<string, string[] | null>; Truncations: Record<string, boolean>; Index: number } {
    const prefix = typeof req.Prefix === "string" ? req.Prefix : "";
    if (req.Prefix !== undefined && typeof req.Prefix !== "string") throw badRequest("Prefix must be a string");
    const contexts = expand(req.Context);
    const source = new SearchSource(this.store, namespace, can);
    const Matches: Record<string, string[] | null> = {};
    const Truncations: Record<string, boolean> = {};
    for (const c of contexts) {
      const all = source.ids(c).filter((id) => id.startsWith(prefix));
      Matches[c] = all.length ? all.slice(0, PREFIX_TRUNCATE_LIMIT) : null;
      Truncations[c] = all.length > PREFIX_TRUNCATE_LIMIT;
    }
    return { Matches, Truncations, Index: this.index(contexts) };
  }

  /**
   * `POST /v1/search/fuzzy`: names containing `Text` (case-insensitive),
   * scored as Nomad scores them (the earlier the match, the better; then
   * the shorter name; then alphabetically). Jobs yield matches in jobs,
   * groups, services, tasks, images, commands and classes. Evaluations and
   * deployments are matched by ID prefix. Nomad looks at the first 20
   * objects of each context and keeps at most 100 matches per context;
   * `Truncations` says where it stopped.
   */
  fuzzy(
    req: { Text?: unknown; Context?: unknown },
    namespace: string,
    can: SearchVisibility = SEARCH_ALL_VISIBLE,
  ): { Matches: Record<string, FuzzyMatch[]>; Truncations: Record<string, boolean>; Index: number } {
    if (req.Text !== undefined && typeof req.Text !== "string") throw badRequest("Text must be a string");
    const textRaw = (req.Text as string | undefined) ?? "";
    if (textRaw.length < FUZZY_DEFAULTS.minTermLength)
      throw badRequest(`fuzzy search query must be at least ${FUZZY_DEFAULTS.minTermLength} characters, got ${textRaw.length}`);
    const text = textRaw.toLowerCase();
    const contexts = expand(req.Context);
    const source = new SearchSource(this.store, namespace, can);
    const Matches: Record<string, FuzzyMatch[]> = {};
    const Truncations: Record<string, boolean> = {};
    const unsorted = new Map<string, Scored[]>();
    const add = (ctx: string, m: Scored, limited: boolean): boolean => {
      const list = unsorted.get(ctx) ?? [];
      unsorted.set(ctx, list);
      if (list.length >= FUZZY_DEFAULTS.limitResults) {
        Truncations[ctx] = true;
        return false;
      }
      list.push(m);
      if (limited) {
        Truncations[ctx] = true;
        return false;
      }
      return true;
    };
    for (const c of contexts) {
      if (c === "evals" || c === "deployment" || c === "scaling_policy" || c === "volumes" || c === "host_volumes") {
        // UUID contexts: a prefix search of the text.
        const all = source.ids(c).filter((id) => id.startsWith(textRaw));
        Matches[c] = all.slice(0, PREFIX_TRUNCATE_LIMIT).map((ID) => ({ ID }));
        Truncations[c] = all.length > PREFIX_TRUNCATE_LIMIT;
        continue;
      }
      Truncations[c] = false;
      const objects = this.fuzzyObjects(c, source);
      const scanned = objects.slice(0, FUZZY_DEFAULTS.limitQuery);
      scanned.forEach((obj, i) => {
        const limited = i === FUZZY_DEFAULTS.limitQuery - 1 && objects.length > FUZZY_DEFAULTS.limitQuery;
        for (const [ctx, matches] of obj(text)) for (const m of matches) if (!add(ctx, m, limited)) break;
      });
    }
    for (const [ctx, list] of unsorted) {
      list.sort((a, b) => a.score - b.score || a.id.length - b.id.length || byString(a.id, b.id));
      Matches[ctx] = list.map((m) => (m.scope ? { ID: m.id, Scope: m.scope } : { ID: m.id }));
    }
    return { Matches, Truncations, Index: this.index(contexts) };
  }

  /** The objects of a fuzzy context, each as a function from the text to its matches by context. */
  private fuzzyObjects(context: string, source: SearchSource): ((text: string) => Map<string, Scored[]>)[] {
    const single = (ctx: string, name: string, scope?: string[]) => (text: string) => {
      const idx = name.toLowerCase().indexOf(text);
      return new Map(idx >= 0 ? [[ctx, [{ id: name, score: idx, scope }]]] : []);
    };
    switch (context) {
      case "jobs":
        return source.jobs().map((j) => (text: string) => jobMatches(j, text));
      case "allocs":
        return [...this.store.allocs()]
          .filter((a) => source.visible(a.Namespace))
          .sort((a, b) => byString(a.ID, b.ID))
          .map((a) => single("allocs", a.Name, [a.Namespace, a.ID]));
      case "nodes":
        return source.nodes().map((n) => single("nodes", n.Name, [n.ID]));
      case "node_pools":
        return source.nodePools().map((p) => single("node_pools", p, [p]));
      case "namespaces":
        return source.namespaces().map((n) => single("namespaces", n));
      default:
        return [];
    }
  }
}

/** A scored fuzzy match. */
interface Scored {
  id: string;
  score: number;
  scope?: string[];
}

/** The fuzzy matches inside one job: its name, groups, services, tasks, and the image, command or class of its tasks. */
function jobMatches(j: StoredJob, text: string): Map<string, Scored[]> {
  const out = new Map<string, Scored[]>();
  const push = (ctx: string, name: string | null | undefined, ...scope: string[]) => {
    if (!name) return;
    const idx = name.toLowerCase().indexOf(text);
    if (idx < 0) return;
    const list = out.get(ctx) ?? [];
    out.set(ctx, list);
    list.push({ id: name, score: idx, scope: [j.Namespace, ...scope] });
  };
  push("jobs", j.Name ?? j.ID, j.ID);
  for (const g of jobGroups(j)) {
    push("groups", g.Name, j.ID);
    for (const s of g.Services ?? []) push("services", s.Name, j.ID, g.Name);
    for (const t of groupTasks(g)) {
      push("tasks", t.Name, j.ID, g.Name);
      for (const s of t.Services ?? []) push("services", s.Name, j.ID, g.Name, t.Name);
      const config = (t.Config ?? {}) as Record<string, unknown>;
      const param = (k: string) => (typeof config[k] === "string" ? (config[k] as string) : undefined);
      if (t.Driver === "docker") push("images", param("image"), j.ID, g.Name, t.Name);
      else if (t.Driver === "exec" || t.Driver === "raw_exec") push("commands", param("command"), j.ID, g.Name, t.Name);
      else if (t.Driver === "java") push("classes", param("class"), j.ID, g.Name, t.Name);
    }
  }
  return out;
}
