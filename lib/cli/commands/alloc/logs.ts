/** `drover alloc logs ALLOC [TASK]`: a task's stdout or stderr, as `nomad alloc logs`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import { parseJobArgs } from "../subcommand-common";
import { ALLOC_ARGUMENT, taskNames, withAlloc } from "./common";

/** The usage of `drover alloc logs` (also `drover logs`, with its own name). */
export const ALLOC_LOGS_USAGE =
  subcommandUsage(`Usage: drover alloc logs [-stderr] [-f] [-tail] [-n LINES] [-c BYTES] [options] ALLOC [TASK]

A task's stdout (or stderr). TASK may be left out when the allocation has one task.
${ALLOC_ARGUMENT}

Options:
  -stderr            Show stderr instead of stdout.
  -f                 Follow the output until the task ends (or Ctrl-C).
  -tail              Show the end of the output: the last -n lines (10) or -c bytes.
  -n LINES           Lines to show with -tail.
  -c BYTES           Bytes to show with -tail.
  -verbose           Full allocation IDs in messages.
`);

/** Bytes per line Nomad's CLI assumes when it turns `-n` into an offset from the end. */
const BYTES_PER_LINE = 120;

/** Keeps the last `n` lines of `text` (a trailing newline does not count as a line). */
export function lastLines(text: string, n: number): string {
  if (n <= 0) return "";
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const lines = body.split("\n");
  return lines.slice(-n).join("\n") + (text.endsWith("\n") ? "\n" : "");
}

/** The `drover alloc logs` subcommand. */
export const subcommand: Subcommand = {
  name: "logs",
  summary: "Show a task's stdout or stderr",
  usage: ALLOC_LOGS_USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
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
      if (typeof v !== "string" || !/^\d+$/.test(v))
        throw new UsageError(`-${flag} must be a non-negative number, got ${JSON.stringify(v)}`);
      return Number(v);
    };
    const lines = num("n");
    const bytes = num("c");
    const tail = Boolean(args.values.tail) || lines !== undefined || bytes !== undefined;
    const type = args.values.stderr ? "stderr" : "stdout";
    const follow = Boolean(args.values.f);
    return withAlloc(args, io, "alloc logs", args.positionals[0], async (client, alloc) => {
      const tasks = taskNames(alloc);
      let task = args.positionals[1];
      if (!task) {
        if (tasks.length !== 1) {
          io.err.write(
            `Allocation "${args.values.verbose ? alloc.ID : alloc.ID.slice(0, 8)}" is running the following tasks:\n${tasks.map((t) => `  * ${t}`).join("\n")}\n\nPlease specify the task.\n`,
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
    });
  },
};
