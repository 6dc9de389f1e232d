/**
 * The text layout of Nomad's status commands (`command/helpers.go`):
 * `key = value` blocks and aligned tables as ryanuber/columnize makes them
 * (two spaces between columns, `<none>` for empty cells), ISO 8601 times,
 * "5m3s ago" relative times, short IDs and byte sizes.
 */

/** Aligns `|`-separated rows: every column but the last padded to its widest cell, joined by `glue`. */
function columnize(rows: readonly string[], glue: string): string {
  const cells = rows.map((r) => r.split("|").map((c) => (c.trim() === "" ? "<none>" : c.trim())));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
        .join(glue)
        .trimEnd(),
    )
    .join("\n");
}

/** A `Key = value` block (Nomad's `formatKV`). */
export function formatKV(rows: readonly string[]): string {
  return columnize(rows, " = ");
}

/** An aligned table whose first row is the header (Nomad's `formatList`). */
export function formatList(rows: readonly string[]): string {
  return columnize(rows, "  ");
}

/** The first `length` characters of an ID (Nomad's `limit`; 8 unless -verbose). */
export function shortID(id: string, length = 8): string {
  return id.length < length ? id : id.slice(0, length);
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** A time as Go's `2006-01-02T15:04:05Z07:00` in the local zone; "" for unset (before 1970-01-01T00:00:01Z). */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return "";
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? "Z" : `${off > 0 ? "+" : "-"}${pad2(Math.floor(Math.abs(off) / 60))}:${pad2(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}${zone}`;
}

/** A unix-nanosecond time as `formatTime` does it. */
export function formatUnixNano(ns: number): string {
  return formatTime(ns / 1e6);
}

/** An RFC 3339 task time, or "N/A" when unset (Nomad's `formatTaskTimes`). */
export function formatTaskTime(rfc3339: string | null | undefined): string {
  if (!rfc3339) return "N/A";
  const ms = Date.parse(rfc3339);
  if (!Number.isFinite(ms) || ms <= 0) return "N/A";
  return formatTime(ms);
}

/**
 * How long ago (or from now) `thenMs` is, in its two most significant units
 * (Nomad's `prettyTimeDiff`): "5m3s ago", "2h1m ago", "0s ago", "3s from now".
 */
export function prettyTimeDiff(thenMs: number, nowMs: number): string {
  if (!thenMs) return "";
  const a = Math.round(thenMs / 1000);
  const b = Math.round(nowMs / 1000);
  const suffix = b >= a ? "ago" : "from now";
  let u = Math.abs(b - a);
  const parts: string[] = [];
  const secs = u % 60;
  if (secs > 0) parts.unshift(`${secs}s`);
  u = Math.floor(u / 60);
  if (u > 0) {
    if (u % 60 > 0) parts.unshift(`${u % 60}m`);
    u = Math.floor(u / 60);
    if (u > 0) {
      if (u % 24 > 0) parts.unshift(`${u % 24}h`);
      u = Math.floor(u / 24);
    }
    if (u > 0) {
      if (u % 30 > 0) parts.unshift(`${u % 30}d`);
      u = Math.floor(u / 30);
    }
    if (u > 0) {
      if (u % 12 > 0) parts.unshift(`${u % 12}mo`);
      u = Math.floor(u / 12);
    }
    if (u > 0) parts.unshift(`${u}y`);
  }
  if (parts.length === 0) return `0s ${suffix}`;
  return `${parts.slice(0, 2).join("")} ${suffix}`;
}

/** Bytes as go-humanize's `IBytes`: "0 B", "512 B", "1.5 KiB", "6.3 MiB". */
export function humanBytes(n: number): string {
  if (n < 10) return `${Math.max(0, Math.round(n))} B`;
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  const e = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
  const v = n / Math.pow(1024, e);
  const shown = v < 10 ? (Math.floor(v * 10 + 0.5) / 10).toFixed(1) : String(Math.floor(v + 0.5));
  return `${shown} ${units[e]}`;
}
