/**
 * What the key checks of the shape pass (shape.ts) know: keys Nomad accepts
 * but ignores (deprecated), which are warnings, and suggestions for unknown
 * keys (the same letters in another case, or a close misspelling).
 */
import type { BlockModel } from "./model";

/**
 * Keys Nomad documents but ignores, by block name and key: the warning says
 * what to use instead. Warned only when the value is set (not null, "", 0,
 * false or empty).
 */
export const IGNORED_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Job: {
    VaultToken:
      "Nomad ignores VaultToken (removed from api.Job); tasks get Vault tokens through workload identities (Task.Vault with a Role)",
    ConsulToken: "Nomad ignores ConsulToken (removed from api.Job); Consul access uses workload identities",
  },
  TaskGroup: {
    StopAfterClientDisconnect: "Nomad ignores StopAfterClientDisconnect since 1.10; use Disconnect.StopOnClientAfter",
    MaxClientDisconnect: "Nomad ignores MaxClientDisconnect since 1.10; use Disconnect.LostAfter",
    PreventRescheduleOnLost: "Nomad ignores PreventRescheduleOnLost since 1.10; use Disconnect.Replace (false to keep the lost allocation)",
  },
  Resources: {
    DiskMB: "the agent does not forward Resources.DiskMB; set the group's EphemeralDisk.SizeMB",
    IOPS: "Nomad ignores Resources.IOPS (deprecated)",
    Networks: "task-level networks are deprecated; declare ports in the group's Networks",
  },
  NetworkResource: {
    MBits: "Nomad ignores MBits (bandwidth is no longer scheduled)",
    Device: "the agent does not forward NetworkResource.Device",
  },
  Vault: {
    Policies: "the agent does not forward Vault.Policies; Vault access uses workload identities: set Vault.Role",
  },
  LogConfig: {
    Enabled: "the agent does not forward LogConfig.Enabled; use LogConfig.Disabled",
  },
  ServiceCheck: {
    Advertise: "the server drops ServiceCheck.Advertise; set the service's Address instead",
  },
  Template: {
    VaultGrace: "Nomad ignores Template.VaultGrace (deprecated since Vault tokens are renewed by Nomad)",
  },
};

/** The Levenshtein distance between `a` and `b`, stopping early beyond `limit`. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** The known key an unknown key probably meant: same letters in another case, or within 2 edits (case-insensitive). */
export function suggestKey(key: string, model: BlockModel): string | undefined {
  const lower = key.toLowerCase();
  const exact = model.byLowerCase.get(lower);
  if (exact) return exact;
  let best: string | undefined;
  let bestD = 3;
  for (const k of model.keys) {
    const d = editDistance(lower, k.toLowerCase(), 2);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= 2 ? best : undefined;
}

/**
 * The name among `candidates` that `name` probably meant: the same letters in
 * another case (or with `_`/`-` differences), else the closest within 2 edits
 * (case-insensitive), else undefined. Used for every did-you-mean: keys,
 * props, driver config keys, subcommands and flags.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[-_]/g, "");
  const lower = name.toLowerCase();
  const squashed = squash(name);
  let best: string | undefined;
  let bestD = 3;
  const letters = (s: string): string => [...s.toLowerCase()].sort().join("");
  const mine = letters(name);
  for (const c of candidates) {
    if (c === name) continue;
    if (squash(c) === squashed) return c;
    // Two swapped letters are one slip, not two edits: they win a tie.
    const d = editDistance(lower, c.toLowerCase(), 2) - (letters(c) === mine ? 0.5 : 0);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= 2 ? best : undefined;
}
