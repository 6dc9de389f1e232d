/** Search wire types (Nomad's `api/search.go`). */

/** A search context: `jobs`, `evals`, `allocs`, `nodes`, `node_pools`, `deployment`, `namespaces`, `plugins`, `volumes`, `scaling_policy`, `vars`, `host_volumes`, or `all`; fuzzy results also use `groups`, `services`, `tasks`, `images`, `commands`, `classes`. */
export type SearchContext = string;

/** The answer of `POST /v1/search`. */
export interface SearchResponse {
  /** Matching IDs per context (null when none matched), at most 20 each. */
  Matches: Record<SearchContext, string[] | null>;
  /** Per context, whether more matched than were returned. */
  Truncations: Record<SearchContext, boolean>;
  /** The index of the data searched. */
  Index: number;
  /** Whether the cluster has a leader. */
  KnownLeader: boolean;
  /** Milliseconds since the leader was last contacted. */
  LastContact: number;
}

/** One fuzzy match. */
export interface FuzzyMatch {
  /** The matched name (or ID, for evaluations and deployments). */
  ID: string;
  /** IDs of the objects it belongs to: namespace, job, group, task (or a node's ID, an allocation's namespace and ID). */
  Scope?: string[];
}

/** The answer of `POST /v1/search/fuzzy`. */
export interface FuzzySearchResponse {
  /** Matches per context, best first. */
  Matches: Record<SearchContext, FuzzyMatch[]>;
  /** Per context, whether Nomad stopped looking before the end (its query and result limits). */
  Truncations: Record<SearchContext, boolean>;
  /** The index of the data searched. */
  Index: number;
  /** Whether the cluster has a leader. */
  KnownLeader: boolean;
  /** Milliseconds since the leader was last contacted. */
  LastContact: number;
}
