/**
 * `drover alloc status ALLOC` and `drover alloc logs ALLOC [TASK]`: one
 * allocation's task states and events, and its tasks' output, as
 * `nomad alloc status` and `nomad alloc logs` show them. ALLOC is an ID or
 * a unique prefix of one.
 */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import type { Allocation, NomadClient } from "../../api";
import { clientFromArgs, CONNECTION_OPTIONS, CONNECTION_USAGE } from "../connection";
import { renderAllocStatus } from "../render/status-alloc";
import { nomadStyleFlags } from "../render/status-flags";
import { reportStatusError, resolveAlloc } from "../render/status-lookup";

const LOGS_OPTIONS = `      -stderr        Show stderr instead of stdout.
      -f             Follow the output until the task ends (or Ctrl-C).
      -tail          Show the end of the output: the last -n lines (10) or -c bytes.
      -n LINES       Lines to show with -tail.
      -c BYTES       Bytes to show with -tail.`;

const ALLOC_HELP = `ALLOC is an allocation ID or a unique prefix of one (at least two characters).
${CONNECTION_USAGE}

Exit codes: 0 shown, 1 no such allocation or task (or an API error), 2 usage error.`;

const USAGE = `Usage: drover alloc <status|logs> [options] ALLOC [TASK]

  drover alloc status [-verbose] ALLOC
      The allocation's facts, its nomad service checks, and per task its
      state, resources and recent events (as \`nomad alloc status\`).

  drover alloc logs [-stderr] [-f] [-tail] [-n LINES] [-c BYTES] ALLOC [TASK]
      A task's stdout (or stderr). TASK may be left out when the
      allocation has one task.
${LOGS_OPTIONS}

${ALLOC_HELP}`;

/** The usage of `drover alloc logs` alone (also `drover logs`). */
export const ALLOC_LOGS_USAGE = `Usage: drover alloc logs [-stderr] [-f] [-tail] [-n LINES] [-c BYTES] ALLOC [TASK]

A task's stdout (or stderr). TASK may be left out when the allocation has one task.

${LOGS_OPTIONS}

${ALLOC_HELP}`;

/** Bytes per line Nomad's CLI assumes when it turns `-n` into an offset from the end. */
const BYTES_PER_LINE = 120;

async function readAlloc(client: NomadClient, prefix: string): Promise<Allocation> {
  const stub = await resolveAlloc(client, prefix);
  return (await client.allocations.info(stub.ID, { namespace: stub.Namespace })).data;
}

async function status(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs(nomadStyleFlags(argv, ["verbose"]), { ...CONNECTION_OPTIONS, verbose: { type: "boolean" } });
  if (args.positionals.length !== 1) throw new UsageError(`alloc status expects exactly one allocation, got ${args.positionals.length}`);
  let client;
  try {
    client = clientFromArgs(args, io);
    const alloc = await readAlloc(client, args.positionals[0]);
    const running = alloc.ClientStatus === "running";
    const [stats, checks, followup] = await Promise.all([
      running
        ? client.client
            .allocationStats(alloc.ID, { namespace: alloc.Namespace })
            .then((r) => r.data)
            .catch(() => null)
        : Promise.resolve(null),
      client.client
        .allocationChecks(alloc.ID, { namespace: alloc.Namespace })
        .then((r) => r.data)
        .catch(() => null),
      alloc.FollowupEvalID
        ? client.evaluations
            .info(alloc.FollowupEvalID, { namespace: alloc.Namespace })
            .then((r) => r.data)
            .catch(() => null)
        : Promise.resolve(null),
    ]);
    const waitUntilText = (followup as { WaitUntil?: string | null } | null)?.WaitUntil;
    const waitUntil = waitUntilText ? Date.parse(waitUntilText) : NaN;
    const view = { alloc, stats, checks, followupWaitUntilMs: Number.isFinite(waitUntil) && waitUntil > 0 ? waitUntil : null };
    io.out.write(renderAllocStatus(view, { nowMs: Date.now(), verbose: Boolean(args.values.verbose) }));
    return 0;
  } catch (err) {
    return reportStatusError(err, io, "alloc status");
  } finally {
    await client?.close();
  }
}

function taskNames(alloc: Allocation): string[] {
  const groups = ((alloc.Job ?? {}) as { TaskGroups?: { Name: string; Tasks?: { Name: string }[] }[] }).TaskGroups ?? [];
  return (groups.find((g) => g.Name === alloc.TaskGroup)?.Tasks ?? []).map((t) => t.Name);
}

/** Keeps the last `n` lines of `text` (a trailing newline does not count as a line). */
export function lastLines(text: string, n: number): string {
  if (n <= 0) return "";
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const lines = body.split("\n");
  return lines.slice(-n).join("\n") + (text.endsWith("\n") ? "\n" : "");
}

async function logs(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs(nomadStyleFlags(argv, ["stderr", "tail", "verbose"]), {
    ...CONNECTION_OPTIONS,
    stderr: { type: "boolean" },
    f: { type: "boolean", short: "f" },
    tail: { type: "boolean" },
    n: { type: "string", short: "n" },
    c: { type: "string", short: "c" },
    verbose: { type: "boolean" },
  });
  if (args.positionals.length < 1 || args.positionals.length > 2)
    throw new UsageError(`alloc logs expects an allocation and optionally a task, got ${args.positionals.length} arguments`);
  const num = (flag: string): number | undefined => {
    const v = args.values[flag];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !/^\d+$/.test(v)) throw new UsageError(`-${flag} must be a non-negative number, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  const lines = num("n");
  const bytes = num("c");
  const tail = Boolean(args.values.tail) || lines !== undefined || bytes !== undefined;
  const type = args.values.stderr ? "stderr" : "stdout";
  const follow = Boolean(args.values.f);
  let client;
  try {
    client = clientFromArgs(args, io);
    const alloc = await readAlloc(client, args.positionals[0]);
    const tasks = taskNames(alloc);
    let task = args.positionals[1];
    if (!task) {
      if (tasks.length !== 1) {
        io.err.write(
          `Allocation "${alloc.ID.slice(0, 8)}" is running the following tasks:\n${tasks.map((t) => `  * ${t}`).join("\n")}\n\nPlease specify the task.\n`,
        );
        return 1;
      }
      task = tasks[0];
    } else if (!tasks.includes(task)) {
      io.err.write(`Could not find task named: ${task}, found:\n${tasks.map((t) => `  * ${t}`).join("\n")}\n`);
      return 1;
    }
    const opts = { namespace: alloc.Namespace, type: type as "stdout" | "stderr" };
    let fromStart = 0;
    if (tail) {
      // The end of the output: -c bytes, or about -n lines (Nomad reads 120 bytes per line and keeps the last n).
      const offset = bytes ?? (lines ?? 10) * BYTES_PER_LINE;
      const parts: Buffer[] = [];
      let lastFile = "";
      let lastOffset = 0;
      for await (const f of client.client.fs.logs(alloc.ID, task, { ...opts, origin: "end", offset })) {
        parts.push(f.Data);
        lastFile = f.File;
        lastOffset = f.Offset;
      }
      const text = Buffer.concat(parts).toString("utf8");
      io.out.write(bytes !== undefined ? text : lastLines(text, lines ?? 10));
      if (!follow) return 0;
      // Continue after what was shown: the offset from the start is the sizes of the earlier rotated files plus the offset in the last one.
      const listing = (await client.client.fs.ls(alloc.ID, "alloc/logs", { namespace: alloc.Namespace })).data;
      const index = (name: string) => Number(name.slice(`${task}.${type}.`.length));
      const lastName = lastFile.split("/").pop() ?? "";
      fromStart = lastOffset;
      if (lastName)
        for (const e of listing) if (e.Name.startsWith(`${task}.${type}.`) && index(e.Name) < index(lastName)) fromStart += e.Size;
    }
    for await (const chunk of client.client.fs.logsPlain(alloc.ID, task, { ...opts, origin: "start", offset: fromStart, follow }))
      io.out.write(chunk);
    return 0;
  } catch (err) {
    return reportStatusError(err, io, "alloc logs");
  } finally {
    await client?.close();
  }
}

/** The `drover alloc` command. */
export const command: Command = {
  name: "alloc",
  summary: "Show an allocation's status or its tasks' logs",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === "status") return status(rest, io);
    if (sub === "logs") return logs(rest, io);
    throw new UsageError(sub ? `unknown subcommand "${sub}"; expected status or logs` : "expected a subcommand: status or logs");
  },
};
