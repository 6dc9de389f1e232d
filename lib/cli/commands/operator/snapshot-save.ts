/** `drover operator snapshot save [FILE]`: the whole state of the servers into a file, as `nomad operator snapshot save`. */
import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { decodeSnapshotContent, encodeSnapshot, gunzipSnapshot } from "../../../runtime/state/snapshot";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** Nomad's default file name, with drover's prefix: `drover-state-<YYYYMMDD>-<unix seconds>.snap`. */
function defaultFileName(now: Date): string {
  const y = String(now.getFullYear()).padStart(4, "0");
  const m = String(now.getMonth() + 1).padStart(2, "0");
  return `drover-state-${y}${m}${now.getDate()}-${Math.floor(now.getTime() / 1000)}.snap`;
}

/** The snapshot without its keyring (`-redact`): its variables can then be read only where the key is already held. */
export function redactSnapshot(file: Buffer): Buffer {
  const snap = decodeSnapshotContent(gunzipSnapshot(file));
  const { Format: _f, Version: _v, Counts: _c, ...header } = snap.header;
  return gzipSync(encodeSnapshot({ ...header, Keyring: [] }, snap.rows));
}

/** The `drover operator snapshot save` subcommand. */
export const subcommand: Subcommand = {
  name: "snapshot save",
  summary: "Save a snapshot of the servers' whole state to a file",
  usage: subcommandUsage(`Usage: drover operator snapshot save [options] [FILE]

Retrieves an atomic, point-in-time snapshot of the state of the servers
(GET /v1/operator/snapshot): jobs and their versions, allocations,
evaluations, deployments, nodes, namespaces, ACL policies, tokens and roles,
variables, periodic launches, the scheduler configuration, and the keyring
that decrypts the variables. The file is a secret: it holds that keyring.
It is written with mode 0600, through FILE.tmp, and never over an existing
file. FILE defaults to drover-state-<YYYYMMDD>-<unix time>.snap. From
drover's runtime the file is drover's snapshot format (see the runtime
README); from a Nomad cluster, Nomad's.

Needs a token with operator:write when ACLs are enabled.

Options:
  -stale             Let a server that is not the leader answer.
  -redact            Remove the keyring from the file (drover snapshots only):
                     its variables can then be read only by an agent that
                     already holds their key.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { stale: { type: "boolean" }, redact: { type: "boolean" } });
    if (args.positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${args.positionals.length}`);
    const name = args.positionals[0] ?? defaultFileName(new Date());
    const file = path.resolve(io.cwd, name);
    if (fs.existsSync(file)) {
      io.err.write(`drover operator snapshot save: Destination file already exists: ${JSON.stringify(name)}\n`);
      return 1;
    }
    return withClient(args, io, "operator snapshot save", async (client) => {
      let data = (await client.operator.snapshotSave({ stale: args.values.stale === true })).data;
      if (args.values.redact) {
        io.out.write("Redacting key material from snapshot\n");
        data = redactSnapshot(data);
      }
      const tmp = `${file}.tmp`;
      try {
        fs.writeFileSync(tmp, data, { mode: 0o600, flag: "wx" });
        fs.renameSync(tmp, file);
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        io.err.write(`drover operator snapshot save: Failed to write snapshot file: ${(err as Error).message}\n`);
        return 1;
      }
      io.out.write(`State file written to ${name}\n`);
      return 0;
    });
  },
};
