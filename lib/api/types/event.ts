/** The event stream's wire types (Nomad's `api/event_stream.go`). */

/** One event of `/v1/event/stream`. */
export interface Event {
  /** The topic: `Job`, `Evaluation`, `Allocation`, `Deployment`, `Node`, … */
  Topic: string;
  /** Why it happened, in Nomad's names: `JobRegistered`, `AllocationUpdated`, `EvaluationUpdated`, … */
  Type: string;
  /** The object's key (a job ID; an evaluation, allocation, deployment or node ID). */
  Key: string;
  /** The object's namespace (`""` for nodes). */
  Namespace: string;
  /** Other keys a `Topic:key` filter matches (the job ID of an allocation, evaluation or deployment); null when none. */
  FilterKeys: string[] | null;
  /** The index of the write that published it. */
  Index: number;
  /** The object under its kind's name: `{ Job }`, `{ Evaluation }`, `{ Allocation }` (without its job), `{ Deployment }`, `{ Node }`. */
  Payload: Record<string, unknown>;
}

/** One frame of the stream: the events of one write. */
export interface Events {
  /** The write's index. */
  Index: number;
  /** Its events (matching the subscription). */
  Events: Event[];
}
