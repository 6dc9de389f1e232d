/**
 * `drover demo` (what `npm start` runs): the whole product end to end on one
 * machine. It starts the included runtime in this process, then drives it
 * with the same commands a user runs against any Nomad: plan and apply the
 * quick-start program (examples/hello/main.ts), show the allocations, plan
 * again to show that an unchanged program has no diff, and destroy the job.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command, CommandIO } from "../command";
import { parseCommandArgs } from "../args";
import { main } from "../main";

const USAGE = `Usage: drover demo [--keep] [PROGRAM.ts]

Starts the included Nomad-compatible runtime on 127.0.0.1 (a free port), then
plans and applies PROGRAM.ts (default: examples/hello/main.ts), waits for its
deployment, lists its allocations, plans again (no changes), and destroys it.

Options:
  --keep   Leave the job running and the agent up until Ctrl-C.

Exit codes: 0 every step worked, 1 a step failed, 2 usage error.`;

/** The repository root: the nearest folder above this file with a package.json. */
function packageRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
  }
  return process.cwd();
}

/** The `drover demo` command. */
export const command: Command = {
  name: "demo",
  summary: "Run the quick-start job end to end against the included runtime",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(argv, { keep: { type: "boolean" } });
    const program = path.resolve(io.cwd, args.positionals[0] ?? path.join(packageRoot(), "examples", "hello", "main.ts"));
    if (!fs.existsSync(program)) {
      io.err.write(`drover demo: ${program} does not exist\n`);
      return 2;
    }
    // Loaded here so that other commands never pay for the runtime.
    const { startAgent } = await import("../../runtime/agent");
    const agent = await startAgent({ bind: "127.0.0.1", port: 0, log: () => undefined });
    const step = (title: string) => io.out.write(`\n==> ${title}\n`);
    const drover = (...words: string[]) => main([...words], io);
    try {
      io.out.write(`drover demo: the included runtime is listening on ${agent.address} (as \`drover agent --dev\` would)\n`);
      const rel = path.relative(io.cwd, program) || program;
      const conn = ["--address", agent.address];

      step(`drover plan ${rel}`);
      if ((await drover("plan", ...conn, program)) !== 0) return 1;

      step(`drover apply --yes ${rel}`);
      if ((await drover("apply", "--yes", ...conn, program)) !== 0) return 1;

      step("allocations");
      const jobIDs = await appliedJobIDs(agent.address, io);
      for (const id of jobIDs) await printAllocations(agent.address, id, io);

      step(`drover plan ${rel}   (again: an unchanged program plans no change)`);
      if ((await drover("plan", "--detailed-exitcode", ...conn, program)) !== 0) {
        io.err.write("drover demo: the second plan found changes; expected none\n");
        return 1;
      }

      if (args.values.keep) {
        io.out.write(`\nThe job keeps running. Try: NOMAD_ADDR=${agent.address} npx drover plan ${rel}\nPress Ctrl-C to stop.\n`);
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        return 0;
      }

      for (const id of jobIDs) {
        step(`drover destroy --purge --yes ${id}`);
        if ((await drover("destroy", "--purge", "--yes", ...conn, id)) !== 0) return 1;
      }
      io.out.write("\ndrover demo: done. Next: read examples/, then `npx drover agent --dev` and `npx drover apply`.\n");
      return 0;
    } finally {
      await agent.stop();
    }
  },
};

/** The IDs of the jobs the agent holds (the demo's agent holds only what the demo applied). */
async function appliedJobIDs(address: string, io: CommandIO): Promise<string[]> {
  const { NomadClient } = await import("../../api");
  const client = new NomadClient({ address });
  try {
    const { data } = await client.jobs.list();
    return data.map((j) => j.ID).sort();
  } catch (err) {
    io.err.write(`drover demo: listing jobs: ${(err as Error).message}\n`);
    return [];
  } finally {
    await client.close();
  }
}

/** Prints a job's allocations as `nomad job status` lists them. */
async function printAllocations(address: string, jobID: string, io: CommandIO): Promise<void> {
  const { NomadClient } = await import("../../api");
  const client = new NomadClient({ address });
  try {
    const { data } = await client.jobs.allocations(jobID);
    const rows = [["ID", "Node ID", "Task Group", "Version", "Desired", "Status", "Healthy"]];
    for (const a of [...data].sort((x, y) => x.Name.localeCompare(y.Name))) {
      const healthy = a.DeploymentStatus?.Healthy;
      rows.push([
        a.ID.slice(0, 8),
        a.NodeID.slice(0, 8),
        a.TaskGroup,
        String(a.JobVersion),
        a.DesiredStatus,
        a.ClientStatus,
        healthy === undefined || healthy === null ? "-" : String(healthy),
      ]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    io.out.write(`Job "${jobID}":\n`);
    for (const r of rows)
      io.out.write(
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join("  ")
          .trimEnd() + "\n",
      );
  } finally {
    await client.close();
  }
}
