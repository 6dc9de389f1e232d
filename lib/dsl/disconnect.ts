import type { DurationInput } from "./duration";
import { block, JsonObject } from "./json";
import type { PropLocation, RenderContext } from "./render-context";

/** Which allocation wins when a disconnected node comes back and its replacement is also running. */
export type DisconnectReconcile = "best_score" | "keep_original" | "keep_replacement" | "longest_running";

/** The `disconnect` block of a group: what happens when a node loses contact with the servers. */
export interface DisconnectProps {
  /** How long the allocations of a disconnected node are kept as "unknown" before they are replaced. @default unset: replaced at once */
  readonly lostAfter?: DurationInput;
  /** Stop the allocations on the client itself after this long without contact. @default unset: never */
  readonly stopOnClientAfter?: DurationInput;
  /** Place a replacement while the original is unknown. @default true */
  readonly replace?: boolean;
  /** Which allocation to keep when the node reconnects. @default "best_score" */
  readonly reconcile?: DisconnectReconcile;
}

/** Renders the disconnect block as Nomad's `DisconnectStrategy`. */
export function renderDisconnect(d: DisconnectProps | undefined, ctx: RenderContext, at: PropLocation): JsonObject | undefined {
  if (d === undefined) return undefined;
  return (
    block({
      LostAfter: ctx.duration(d.lostAfter, at, "lostAfter"),
      StopOnClientAfter: ctx.duration(d.stopOnClientAfter, at, "stopOnClientAfter"),
      Replace: d.replace,
      Reconcile: d.reconcile,
    }) ?? {}
  );
}
