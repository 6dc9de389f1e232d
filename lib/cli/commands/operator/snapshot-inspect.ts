/** `drover operator snapshot inspect FILE`: what a snapshot file holds, read locally, as `nomad operator snapshot inspect`. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandIO } from "../../command";
import { decodeSnapshot, SnapshotError, type SnapshotHeader } from "../../../runtime/state/snapshot";
import { formatKV, formatList, humanBytes } from "../../render/status-format";
import type { Subcommand } from "../subcommand";
import { onePositional, parseJobArgs } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** What inspect reports: the header (without the keyring's key material) and rows and bytes per table, largest first. */
export interface SnapshotInspection {
  /** The header, the keyring reduced to its key IDs. */
  Meta: Omit<SnapshotHeader, "Keyring"> & { Size: number; KeyIDs: string[]; Checksum: string };
  /** Per table, by size. */
  Stats: { Name: string; Count: number; Sum: number }[];
}

/** Reads a snapshot file's content and sums it per table. */
export function inspectSnapshot(file: Buffer): SnapshotInspection {
  const snap = decodeSnapshot(file);
  const byTable = new Map<string, { Name: string; Count: number; Sum: number }>();
  for (const r of snap.rows) {
    const s = byTable.get(r.table) ?? { Name: r.table, Count: 0, Sum: 0 };
    s.Count++;
    s.Sum += Buffer.byteLength(r.body);
    byTable.set(r.table, s);
  }
  const { Keyring, ...meta } = snap.header;
  return {
    Meta: { ...meta, Size: file.length, KeyIDs: Keyring.map((k) => k.KeyID), Checksum: snap.checksum },
    Stats: [...byTable.values()].sort((a, b) => b.Sum - a.Sum || (a.Name < b.Name ? -1 : 1)),
  };
}

/** The `drover operator snapshot inspect` subcommand. */
export const subcommand: Subcommand = {
  name: "snapshot inspect",
  summary: "Show what a snapshot file holds",
  usage: subcommandUsage(`Usage: drover operator snapshot inspect [options] FILE

Reads a snapshot file written by "drover operator snapshot save" (no agent
is contacted) and shows its header and the rows and bytes of each table,
largest first. A file that is not a drover snapshot, or a damaged one, is
refused with the reason (exit 1).

Options:
  -json              Print it as JSON (the keyring as key IDs only).
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { json: { type: "boolean" } });
    const name = onePositional(args, "FILE");
    let info: SnapshotInspection;
    try {
      info = inspectSnapshot(fs.readFileSync(path.resolve(io.cwd, name)));
    } catch (err) {
      const what = err instanceof SnapshotError ? "Error inspecting snapshot" : "Error opening snapshot file";
      io.err.write(`drover operator snapshot inspect: ${what}: ${(err as Error).message}\n`);
      return 1;
    }
    if (args.values.json) {
      io.out.write(`${JSON.stringify(info, null, 2)}\n`);
      return 0;
    }
    const m = info.Meta;
    io.out.write(
      formatKV([
        `Created|${m.CreatedAt}`,
        `Format|${m.Format} version ${m.Version}`,
        `Size|${humanBytes(m.Size)}`,
        `Index|${m.Index}`,
        `Region|${m.Region}`,
        `Agent Version|${m.AgentVersion}`,
        `Keyring|${m.KeyIDs.length} key${m.KeyIDs.length === 1 ? "" : "s"}`,
      ]) + "\n\n",
    );
    const total = info.Stats.reduce((a, s) => ({ Count: a.Count + s.Count, Sum: a.Sum + s.Sum }), { Count: 0, Sum: 0 });
    const rows = ["Table|Count|Size", "----|----|----", ...info.Stats.map((s) => `${s.Name}|${s.Count}|${humanBytes(s.Sum)}`)];
    rows.push("----|----|----", `Total|${total.Count}|${humanBytes(total.Sum)}`);
    io.out.write(formatList(rows) + "\n");
    return 0;
  },
};
