/** `drover operator snapshot restore FILE`: replaces the servers' whole state by a snapshot's, as `nomad operator snapshot restore`. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandIO } from "../../command";
import type { Subcommand } from "../subcommand";
import { onePositional, parseJobArgs, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** The `drover operator snapshot restore` subcommand. */
export const subcommand: Subcommand = {
  name: "snapshot restore",
  summary: "Restore the servers' whole state from a snapshot file",
  usage: subcommandUsage(`Usage: drover operator snapshot restore [options] FILE

Restores a snapshot written by "drover operator snapshot save"
(PUT /v1/operator/snapshot): the servers' whole state is replaced by the
snapshot's, all of it or, when the file cannot be read, nothing. Meant for
disaster recovery, into a fresh agent. Needs a management token when ACLs
are enabled.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {});
    const name = onePositional(args, "FILE");
    let data: Buffer;
    try {
      data = fs.readFileSync(path.resolve(io.cwd, name));
    } catch (err) {
      io.err.write(`drover operator snapshot restore: Error opening snapshot file: ${(err as Error).message}\n`);
      return 1;
    }
    return withClient(args, io, "operator snapshot restore", async (client) => {
      await client.operator.snapshotRestore(data);
      io.out.write("Snapshot Restored\n");
      return 0;
    });
  },
};
