import { block, JsonObject } from "./json";

/** The `ephemeral_disk` block: the allocation's scratch disk (`alloc/`, `local/`). */
export interface EphemeralDiskProps {
  /** The disk size to reserve, in MB. @default 300 */
  readonly sizeMB?: number;
  /** Try to place a replacement allocation on the same node and keep the data. @default false */
  readonly sticky?: boolean;
  /** Copy the data to the replacement allocation when it lands on another node (implies best-effort stickiness). @default false */
  readonly migrate?: boolean;
}

/** Renders the ephemeral disk block as Nomad's `EphemeralDisk`. */
export function renderEphemeralDisk(d: EphemeralDiskProps | undefined): JsonObject | undefined {
  if (d === undefined) return undefined;
  return block({ Sticky: d.sticky, Migrate: d.migrate, SizeMB: d.sizeMB }) ?? {};
}
