/**
 * `drover event stream`: prints the events of `/v1/event/stream` as they
 * come, one JSON frame per line (what `nomad operator api /v1/event/stream`
 * prints), reconnecting from the last index when the connection drops.
 */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { parseCount, parseJobArgs, stringFlag, withJobClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** Parses `-topic` values (`Job`, `Job:web`, `*`) into the API client's topic map. */
function topicMap(values: readonly string[]): Record<string, string[]> | undefined {
  if (values.length === 0) return undefined;
  const topics: Record<string, string[]> = {};
  for (const v of values) {
    const parts = v.split(":");
    if (parts.length > 2 || parts[0] === "" || parts[1] === "")
      throw new UsageError(`-topic ${JSON.stringify(v)}: expected TOPIC or TOPIC:KEY (e.g. Job:web)`);
    (topics[parts[0]] ??= []).push(parts[1] ?? "*");
  }
  return topics;
}

/** The `drover event stream` subcommand. */
export const subcommand: Subcommand = {
  name: "stream",
  summary: "Print the event stream, one JSON frame per line",
  usage: subcommandUsage(`Usage: drover event stream [options]

Prints the agent's events as they happen, one JSON frame per line
({"Index":…,"Events":[…]}); heartbeats are not printed. When the
connection drops it reconnects from the index after the last frame.
Ends on Ctrl-C, or after -n frames.

Options:
  -topic TOPIC[:KEY] Topics to follow (repeatable): Job, Evaluation, Allocation,
                     Deployment, Node, or * (default: every topic); :KEY keeps
                     the events of one key (a job ID, an allocation ID, …).
  -index N           Start from this index (events still buffered by the agent).
  -n N               Exit after N frames.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { topic: { type: "string", multiple: true }, index: { type: "string" }, n: { type: "string" } });
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    const topics = topicMap((args.values.topic as string[] | undefined) ?? []);
    const indexText = stringFlag(args, "index");
    const index = indexText === undefined ? undefined : parseCount(indexText, "-index");
    const nText = stringFlag(args, "n");
    const limit = nText === undefined ? undefined : parseCount(nText, "-n");
    if (limit === 0) return 0;
    return withJobClient(args, io, "event stream", async (client) => {
      let printed = 0;
      for await (const frame of client.events.stream({ topics, index })) {
        io.out.write(`${JSON.stringify(frame)}\n`);
        printed++;
        if (limit !== undefined && printed >= limit) break;
      }
      return 0;
    });
  },
};
