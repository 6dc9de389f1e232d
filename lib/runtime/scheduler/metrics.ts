/**
 * Helpers that record placement decisions in an AllocMetric, as Nomad's
 * `AllocMetric.FilterNode`, `ExhaustedNode` and `ScoreNode` do.
 */
import type { AllocMetric, Node, NodeScoreMeta } from "../structs";

/** How many top-scoring nodes a metric keeps (Nomad's `MaxRetainedNodeScores`). */
const MAX_RETAINED_NODE_SCORES = 5;

function bump(m: Record<string, number> | null, key: string): Record<string, number> {
  const out = m ?? {};
  out[key] = (out[key] ?? 0) + 1;
  return out;
}

/** Records a node removed by feasibility, with the constraint (or check) that removed it. */
export function filterNode(m: AllocMetric, node: Node, reason: string): void {
  m.NodesFiltered++;
  if (node.NodeClass) m.ClassFiltered = bump(m.ClassFiltered, node.NodeClass);
  if (reason) m.ConstraintFiltered = bump(m.ConstraintFiltered, reason);
}

/** Records a feasible node that could not fit the allocation, with the exhausted dimension. */
export function exhaustedNode(m: AllocMetric, node: Node, dimension: string): void {
  m.NodesExhausted++;
  if (node.NodeClass) m.ClassExhausted = bump(m.ClassExhausted, node.NodeClass);
  if (dimension) m.DimensionExhausted = bump(m.DimensionExhausted, dimension);
}

/** Keeps the node's scores if they rank among the best MAX_RETAINED_NODE_SCORES. */
export function scoreNode(m: AllocMetric, nodeID: string, names: readonly string[], scores: readonly number[], norm: number): void {
  const list = m.ScoreMetaData ?? (m.ScoreMetaData = []);
  if (list.length >= MAX_RETAINED_NODE_SCORES && list[list.length - 1].NormScore >= norm) return;
  const Scores: Record<string, number> = {};
  for (let i = 0; i < names.length; i++) Scores[names[i]] = scores[i];
  const entry: NodeScoreMeta = { NodeID: nodeID, Scores, NormScore: norm };
  let i = list.length;
  while (i > 0 && list[i - 1].NormScore < norm) i--;
  list.splice(i, 0, entry);
  if (list.length > MAX_RETAINED_NODE_SCORES) list.pop();
}

/**
 * Interned lists of scorer names: a packed metric refers to the list of its
 * entry by number instead of holding its own copy. The trie lets a list be
 * found without building a key string.
 */
interface NameTrie {
  id: number;
  children: Map<string, NameTrie>;
}
const nameRoot: NameTrie = { id: -1, children: new Map() };
const nameLists: (readonly string[])[] = [];

function internNames(names: readonly string[], count: number): number {
  let t = nameRoot;
  for (let i = 0; i < count; i++) {
    let c = t.children.get(names[i]);
    if (!c) t.children.set(names[i], (c = { id: -1, children: new Map() }));
    t = c;
  }
  if (t.id < 0) {
    t.id = nameLists.length;
    nameLists.push(Object.freeze(names.slice(0, count)));
  }
  return t.id;
}

/**
 * An AllocMetric as the placement stack records it, with the top node scores
 * packed: a list of node IDs and one array of numbers (per entry: the
 * interned scorer-name list, the normalized score, then each score) instead of
 * an object and a `Scores` record per node, about a quarter of the memory an
 * allocation would otherwise hold for them. `ScoreMetaData` is rebuilt on
 * each read (and by `toJSON`, so the HTTP API and persistence see Nomad's
 * shape); assigning it stores the given list as is.
 */
export class PlacementMetric implements AllocMetric {
  NodesEvaluated = 0;
  NodesFiltered = 0;
  NodesInPool = 0;
  NodesAvailable: Record<string, number> = NO_NODES_AVAILABLE;
  ClassFiltered: Record<string, number> | null = null;
  ConstraintFiltered: Record<string, number> | null = null;
  NodesExhausted = 0;
  ClassExhausted: Record<string, number> | null = null;
  DimensionExhausted: Record<string, number> | null = null;
  QuotaExhausted: string[] | null = null;
  ResourcesExhausted: Record<string, unknown> | null = null;
  AllocationTime = 0;
  CoalescedFailures = 0;
  #ids: string[] | null = null;
  #packed: number[] | null = null;
  #plain: NodeScoreMeta[] | null = null;

  /** The top node scores, best first (Nomad keeps 5). */
  get ScoreMetaData(): NodeScoreMeta[] | null {
    if (this.#plain) return this.#plain;
    const ids = this.#ids;
    const p = this.#packed;
    if (!ids || !p) return null;
    const out: NodeScoreMeta[] = [];
    let k = 0;
    for (const id of ids) {
      const names = nameLists[p[k++]];
      const NormScore = p[k++];
      const Scores: Record<string, number> = {};
      for (const name of names) Scores[name] = p[k++];
      out.push({ NodeID: id, Scores, NormScore });
    }
    return out;
  }

  set ScoreMetaData(v: NodeScoreMeta[] | null) {
    this.#plain = v;
    this.#ids = null;
    this.#packed = null;
  }

  /** Stores the scores kept by a TopScores tracker (packed). */
  setTopScores(top: TopScores): void {
    this.#plain = null;
    if (top.size === 0) {
      this.#ids = null;
      this.#packed = null;
      return;
    }
    // Exact-size arrays: push would leave spare capacity in every allocation's metrics.
    let len = 0;
    for (let i = 0; i < top.size; i++) len += 2 + top.entries[i].count;
    const ids = new Array<string>(top.size);
    const packed = new Array<number>(len);
    let k = 0;
    for (let i = 0; i < top.size; i++) {
      const e = top.entries[i];
      ids[i] = e.nodeID;
      packed[k++] = e.names;
      packed[k++] = e.norm;
      for (let j = 0; j < e.count; j++) packed[k++] = e.scores[j];
    }
    this.#ids = ids;
    this.#packed = packed;
  }

  /** Nomad's JSON shape, with ScoreMetaData spelled out. */
  toJSON(): AllocMetric {
    return {
      NodesEvaluated: this.NodesEvaluated,
      NodesFiltered: this.NodesFiltered,
      NodesInPool: this.NodesInPool,
      NodesAvailable: this.NodesAvailable,
      ClassFiltered: this.ClassFiltered,
      ConstraintFiltered: this.ConstraintFiltered,
      NodesExhausted: this.NodesExhausted,
      ClassExhausted: this.ClassExhausted,
      DimensionExhausted: this.DimensionExhausted,
      QuotaExhausted: this.QuotaExhausted,
      ResourcesExhausted: this.ResourcesExhausted,
      ScoreMetaData: this.ScoreMetaData,
      AllocationTime: this.AllocationTime,
      CoalescedFailures: this.CoalescedFailures,
    };
  }
}

const NO_NODES_AVAILABLE: Record<string, number> = Object.freeze({}) as Record<string, number>;

/** One retained node score of a TopScores tracker (reused from placement to placement). */
interface TopEntry {
  nodeID: string;
  norm: number;
  /** Interned name list (see internNames). */
  names: number;
  count: number;
  scores: number[];
}

/**
 * The best MAX_RETAINED_NODE_SCORES node scores of the placement in
 * progress, kept in reused slots so that scoring a node allocates nothing;
 * the stack packs them into the placement's PlacementMetric when it is done.
 * Same order and ties as `scoreNode` (a later node must score strictly
 * higher to pass an earlier one).
 */
export class TopScores {
  /** Retained entries, best first; only the first `size` are valid. */
  readonly entries: TopEntry[] = [];
  /** How many entries are valid. */
  size = 0;

  /** Forgets every entry (a new placement). */
  clear(): void {
    this.size = 0;
  }

  /** Offers a node's scores. */
  offer(nodeID: string, names: readonly string[], scores: readonly number[], norm: number): void {
    const max = MAX_RETAINED_NODE_SCORES;
    if (this.size >= max && this.entries[this.size - 1].norm >= norm) return;
    let i = this.size;
    while (i > 0 && this.entries[i - 1].norm < norm) i--;
    // Take the slot that falls off the end (or a fresh one) and move it to position i.
    let slot: TopEntry;
    if (this.size < max) {
      slot = this.entries[this.size] ?? { nodeID: "", norm: 0, names: 0, count: 0, scores: [] };
      this.entries[this.size] = slot;
      this.size++;
    } else slot = this.entries[max - 1];
    for (let j = this.size - 1; j > i; j--) this.entries[j] = this.entries[j - 1];
    this.entries[i] = slot;
    slot.nodeID = nodeID;
    slot.norm = norm;
    const n = Math.min(names.length, scores.length);
    slot.names = internNames(names, n);
    slot.count = n;
    for (let j = 0; j < n; j++) slot.scores[j] = scores[j];
  }
}
