/** `drover node drain -enable|-disable [-deadline D] [-yes] NODE`: starts or cancels a node's drain, as `nomad node drain`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { DrainSpec, NomadClient } from "../../../api";
import { parseGoDuration } from "../../../jobspec/duration";
import { formatTime } from "../../render/status-format";
import type { Subcommand } from "../subcommand";
import { JobCommandError, parseJobArgs, stringFlag, withClient } from "../subcommand-common";
import { ask } from "../../prompt";
import { subcommandUsage } from "../subcommand-usage";
import { resolveNode } from "./common";

/** Nomad's default drain deadline (`defaultDrainDuration`): one hour. */
const DEFAULT_DRAIN_NS = 3600 * 1_000_000_000;

/** Asks Nomad's `[y/N]` question on the terminal; true only for an exact "y" (Nomad's answers to anything else). */
async function askYes(io: CommandIO, question: string): Promise<boolean> {
  const answer = (await ask(io, `${question} `)) ?? "";
  if (answer === "y") return true;
  io.out.write(
    answer === "" || answer.toLowerCase().startsWith("n") ? "Canceling drain toggle\n" : "For confirmation, an exact 'y' is required.\n",
  );
  return false;
}

/** Follows a drain until the node's drain strategy clears (the drain is done), printing Nomad's monitor lines. */
async function monitorDrain(client: NomadClient, io: CommandIO, nodeID: string, ignoreSystem: boolean): Promise<void> {
  let index = 0;
  for (;;) {
    const r = await client.nodes.info(nodeID, { index, wait: 30_000 });
    index = r.meta.index;
    if (!r.data.DrainStrategy) break;
  }
  io.out.write(`${formatTime(Date.now())}: Drain complete for node ${nodeID}\n`);
  const allocs = (await client.nodes.allocations(nodeID)).data;
  const live = allocs.filter((a) => a.DesiredStatus === "run" && (a.ClientStatus === "running" || a.ClientStatus === "pending"));
  const left = ignoreSystem ? live.filter((a) => (a.Job as { Type?: string } | null)?.Type !== "system") : live;
  if (left.length === 0) io.out.write(`${formatTime(Date.now())}: All allocations on node ${JSON.stringify(nodeID)} have stopped\n`);
}

/** The `drover node drain` subcommand. */
export const subcommand: Subcommand = {
  name: "drain",
  summary: "Start or cancel a node's drain",
  usage: subcommandUsage(`Usage: drover node drain [options] NODE

Starts (-enable) or cancels (-disable) the drain of a node (PUT
/v1/node/:id/drain): its allocations are migrated as their groups' migrate
blocks allow, and the node takes no new ones. NODE is an ID, a unique ID prefix
of at least two characters, or a node name; a prefix asks for confirmation
(on a terminal; elsewhere pass -yes). Unless -detach, an enabled drain is
followed until it completes (Ctrl-C stops following, not the drain).

Options:
  -enable            Start draining.
  -disable           Cancel the drain.
  -deadline D        Force the remaining allocations off after D (a duration like
                     "30m"; default 1h).
  -force             Force every allocation off at once (no deadline to wait for).
  -no-deadline       Never force allocations off.
  -ignore-system     Leave system job allocations on the node.
  -keep-ineligible   On -disable, keep the node ineligible for scheduling.
  -m MESSAGE         A message recorded with the drain (LastDrain.Meta).
  -meta K=V          Metadata recorded with the drain (repeatable).
  -detach            Return once the drain is set, without following it.
  -self              Drain the agent's own local node.
  -yes               Do not ask for confirmation.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      enable: { type: "boolean" },
      disable: { type: "boolean" },
      deadline: { type: "string" },
      force: { type: "boolean" },
      "no-deadline": { type: "boolean" },
      "ignore-system": { type: "boolean" },
      "keep-ineligible": { type: "boolean" },
      m: { type: "string" },
      meta: { type: "string", multiple: true },
      detach: { type: "boolean" },
      self: { type: "boolean" },
      yes: { type: "boolean" },
    });
    const v = args.values;
    if (v.enable === v.disable) throw new UsageError("Either the '-enable' or '-disable' flag must be set");
    if (!v.self && args.positionals.length !== 1) throw new UsageError("Node ID must be specified if -self isn't being used");
    if (v.self && args.positionals.length > 0) throw new UsageError("-self takes no NODE argument");
    const deadline = stringFlag(args, "deadline");
    if (v.disable && (deadline !== undefined || v.force || v["no-deadline"] || v["ignore-system"]))
      throw new UsageError("-disable can't be combined with flags configuring drain strategy");
    if (deadline !== undefined && (v.force || v["no-deadline"]))
      throw new UsageError("-deadline can't be combined with -force or -no-deadline");
    if (v.force && v["no-deadline"]) throw new UsageError("-force and -no-deadline are mutually exclusive");
    let deadlineNs = DEFAULT_DRAIN_NS;
    if (v.force) deadlineNs = -1_000_000_000;
    else if (v["no-deadline"]) deadlineNs = 0;
    else if (deadline !== undefined) {
      try {
        deadlineNs = parseGoDuration(deadline);
      } catch (err) {
        throw new UsageError(`Failed to parse deadline ${JSON.stringify(deadline)}: ${(err as Error).message}`);
      }
      if (deadlineNs <= 0) throw new UsageError("A positive drain duration must be given");
    }
    return withClient(args, io, "node drain", async (client) => {
      const named = v.self ? undefined : args.positionals[0];
      const nodeID = named === undefined ? (await client.agent.self()).data.stats?.client?.node_id : (await resolveNode(client, named)).ID;
      if (!nodeID) throw new JobCommandError("-self: the agent runs no client node");
      const node = (await client.nodes.info(nodeID)).data;
      if (named !== undefined && named !== node.ID && !v.yes) {
        const verb = v.enable ? "enable" : "disable";
        if (!io.isTTY)
          throw new JobCommandError(
            `${JSON.stringify(named)} is node ${JSON.stringify(node.ID)}: confirm on a terminal, or pass -yes to ${verb} its drain`,
          );
        if (!(await askYes(io, `Are you sure you want to ${verb} drain mode for node ${JSON.stringify(node.ID)}? [y/N]`))) return 0;
      }
      const spec: DrainSpec | null = v.enable ? { Deadline: deadlineNs, IgnoreSystemJobs: v["ignore-system"] === true } : null;
      const meta: Record<string, string> = {
        ...(v.disable ? ((node.LastDrain as { Meta?: Record<string, string> } | null)?.Meta ?? {}) : {}),
      };
      const message = stringFlag(args, "m");
      if (message) meta[v.enable ? "message" : "cancel_message"] = message;
      for (const kv of (v.meta as string[] | undefined) ?? []) {
        const at = kv.indexOf("=");
        if (kv === "") continue;
        meta[at < 0 ? kv : kv.slice(0, at)] = at < 0 ? "" : kv.slice(at + 1);
      }
      await client.nodes.drain(node.ID, spec, { markEligible: v["keep-ineligible"] !== true, meta });
      if (!v.enable) {
        io.out.write(`Node ${JSON.stringify(node.ID)} drain strategy unset\n`);
        return 0;
      }
      if (v.detach) {
        io.out.write(`Node ${JSON.stringify(node.ID)} drain strategy set\n`);
        return 0;
      }
      io.out.write(`${formatTime(Date.now())}: Ctrl-C to stop monitoring: will not cancel the node drain\n`);
      io.out.write(`${formatTime(Date.now())}: Node ${JSON.stringify(node.ID)} drain strategy set\n`);
      await monitorDrain(client, io, node.ID, v["ignore-system"] === true);
      return 0;
    });
  },
};
