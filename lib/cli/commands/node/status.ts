/** `drover node status [-verbose] [-json] [NODE]`: the node list, or one node, as `nomad node status` prints them. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Allocation, Node, NodeListStub } from "../../../api";
import { formatKV, formatList, formatTime, humanBytes, prettyTimeDiff, shortID } from "../../render/status-format";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { resolveNode } from "./common";

type Obj = Record<string, any>;

/** Nomad's node list (`ID|Node Pool|DC|Name|Class|[OS|][Address|Version|]Drain|Eligibility|Status`). */
export function renderNodeList(nodes: readonly NodeListStub[], opts: { verbose: boolean; os: boolean }): string {
  if (nodes.length === 0) return "No nodes registered\n";
  let head = "ID|Node Pool|DC|Name|Class|";
  if (opts.os) head += "OS|";
  if (opts.verbose) head += "Address|Version|";
  const rows = [head + "Drain|Eligibility|Status"];
  for (const n of nodes) {
    let row = `${opts.verbose ? n.ID : shortID(n.ID)}|${n.NodePool ?? ""}|${n.Datacenter}|${n.Name}|${n.NodeClass}`;
    if (opts.os) row += `|${n.Attributes?.["os.name"] ?? ""}`;
    if (opts.verbose) row += `|${n.Address}|${n.Version}`;
    rows.push(`${row}|${n.Drain}|${n.SchedulingEligibility}|${n.Status}`);
  }
  return formatList(rows) + "\n";
}

/** Nomad's `formatDrain`: "false", or "true" with the deadline and whether system jobs are ignored. */
function formatDrain(n: Node): string {
  const d = n.DrainStrategy;
  if (!d) return String(n.Drain ?? false);
  let s = "true";
  const force = d.ForceDeadline ? Date.parse(d.ForceDeadline) : NaN;
  if (d.Deadline < 0) s += "; force drain";
  else if (!Number.isFinite(force) || force <= 0) s += "; no deadline";
  else s += `; ${formatTime(force)} deadline`;
  if (d.IgnoreSystemJobs) s += "; ignoring system jobs";
  return s;
}

/** The node's detected drivers, "(unhealthy)" marked, sorted (`outputTruncatedNodeDriverInfo`). */
function driverStatus(n: Node): string {
  return Object.entries(n.Drivers ?? {})
    .filter(([, d]) => d.Detected)
    .map(([name, d]) => (d.Healthy ? name : `${name} (unhealthy)`))
    .sort()
    .join(",");
}

/** A number from a nested field of the loosely typed resource objects, 0 when absent. */
function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

/** CPU, memory and disk the running allocations hold, against what the node offers (`getAllocatedResources`). */
function allocatedResources(n: Node, running: readonly Allocation[]): string {
  const r = (n.NodeResources ?? {}) as Obj;
  const res = (n.ReservedResources ?? {}) as Obj;
  const total = {
    cpu: num(r.Cpu?.CpuShares) - num(res.Cpu?.CpuShares),
    mem: num(r.Memory?.MemoryMB) - num(res.Memory?.MemoryMB),
    disk: num(r.Disk?.DiskMB) - num(res.Disk?.DiskMB),
  };
  let cpu = 0;
  let mem = 0;
  let disk = 0;
  for (const a of running) {
    const ar = (a.AllocatedResources ?? {}) as Obj;
    for (const t of Object.values((ar.Tasks ?? {}) as Record<string, Obj>)) {
      cpu += num(t.Cpu?.CpuShares);
      mem += num(t.Memory?.MemoryMB);
    }
    disk += num(ar.Shared?.DiskMB);
  }
  const mb = 1024 * 1024;
  return formatList([
    "CPU|Memory|Disk|Alloc Count",
    `${cpu}/${total.cpu} MHz|${humanBytes(mem * mb)}/${humanBytes(total.mem * mb)}|${humanBytes(disk * mb)}/${humanBytes(total.disk * mb)}|${running.length}`,
  ]);
}

/** One node as `nomad node status NODE` prints it (without the host statistics). */
export function renderNode(n: Node, allocs: readonly Allocation[], opts: { verbose: boolean; nowMs: number }): string {
  const idLen = opts.verbose ? 36 : 8;
  const running = allocs.filter((a) => a.ClientStatus === "running");
  const basic = [
    `ID|${n.ID}`,
    `Name|${n.Name}`,
    `Node Pool|${n.NodePool ?? ""}`,
    `Class|${n.NodeClass}`,
    `DC|${n.Datacenter}`,
    `Drain|${formatDrain(n)}`,
    `Eligibility|${n.SchedulingEligibility}`,
    `Status|${n.Status}`,
    "CSI Controllers|",
    "CSI Drivers|",
  ];
  if (!opts.verbose) {
    basic.push(
      `Host Volumes|${Object.keys(n.HostVolumes ?? {})
        .sort()
        .join(",")}`,
      "Host Networks|",
      "CSI Volumes|",
    );
    basic.push(`Driver Status|${driverStatus(n)}`);
  }
  const out = [formatKV(basic)];
  if (opts.verbose) {
    const volumes = Object.entries(n.HostVolumes ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    if (volumes.length > 0)
      out.push("", "Host Volumes", formatList(["Name|ReadOnly|Source", ...volumes.map(([k, v]) => `${k}|${v.ReadOnly}|${v.Path}`)]));
    const drivers = Object.entries(n.Drivers ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    out.push(
      "",
      "Drivers",
      formatList([
        "Driver|Detected|Healthy|Message|Time",
        ...drivers.map(
          ([k, d]) => `${k}|${d.Detected}|${d.Healthy}|${d.HealthDescription ?? ""}|${formatTime(Date.parse(d.UpdateTime ?? ""))}`,
        ),
      ]),
    );
  }
  const events = [...(n.Events ?? [])].reverse();
  out.push(
    "",
    "Node Events",
    formatList([
      opts.verbose ? "Time|Subsystem|Message|Details" : "Time|Subsystem|Message",
      ...events.map((e) => {
        const row = `${formatTime(Date.parse(e.Timestamp))}|${e.Subsystem}|${e.Message}`;
        if (!opts.verbose) return row;
        return `${row}|${Object.entries(e.Details ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ")}`;
      }),
    ]),
  );
  out.push("", "Allocated Resources", allocatedResources(n, running));
  out.push("", "Allocations");
  if (allocs.length === 0) out.push("No allocations placed");
  else {
    const sorted = [...allocs].sort((a, b) => b.CreateIndex - a.CreateIndex);
    const rows = opts.verbose
      ? ["ID|Eval ID|Node ID|Task Group|Version|Desired|Status|Created|Modified"]
      : ["ID|Node ID|Task Group|Version|Desired|Status|Created|Modified"];
    for (const a of sorted) {
      const created = opts.verbose ? formatTime(a.CreateTime / 1e6) : prettyTimeDiff(a.CreateTime / 1e6, opts.nowMs);
      const modified = opts.verbose ? formatTime(a.ModifyTime / 1e6) : prettyTimeDiff(a.ModifyTime / 1e6, opts.nowMs);
      const ids = opts.verbose ? `${a.ID}|${a.EvalID}|${a.NodeID}` : `${shortID(a.ID, idLen)}|${shortID(a.NodeID, idLen)}`;
      const version = a.JobVersion ?? (a.Job as { Version?: number } | null)?.Version ?? "";
      rows.push(`${ids}|${a.TaskGroup}|${version}|${a.DesiredStatus}|${a.ClientStatus}|${created}|${modified}`);
    }
    out.push(formatList(rows));
  }
  if (opts.verbose) {
    const kv = (m: Record<string, string> | null | undefined) =>
      formatKV(
        Object.keys(m ?? {})
          .sort()
          .map((k) => `${k}|${m![k]}`),
      );
    out.push("", "Attributes", kv(n.Attributes), "", "Meta", kv(n.Meta));
  }
  return out.join("\n") + "\n";
}

/** The `drover node status` subcommand. */
export const subcommand: Subcommand = {
  name: "status",
  summary: "List the nodes, or show one",
  usage: subcommandUsage(`Usage: drover node status [options] [NODE]

Without NODE, lists the client nodes (GET /v1/nodes). With NODE (an ID, a
unique ID prefix of at least two characters, or a node name), shows that node:
its status, drain, eligibility, drivers, events, allocated resources and
allocations, as \`nomad node status\` does (without host statistics).

Options:
  -verbose           Full IDs; in the list the address and version, for one
                     node its drivers, event details, attributes and metadata.
  -os                In the list, each node's operating system (os.name).
  -quiet             In the list, only the node IDs.
  -self              Show the agent's own local node.
  -json              Print the list or the node as JSON.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      verbose: { type: "boolean" },
      os: { type: "boolean" },
      quiet: { type: "boolean" },
      self: { type: "boolean" },
      json: { type: "boolean" },
    });
    const v = args.values;
    if (args.positionals.length > 1) throw new UsageError("This command takes either one or no arguments");
    if (v.self && args.positionals.length > 0) throw new UsageError("-self takes no NODE argument");
    return withClient(args, io, "node status", async (client) => {
      if (args.positionals.length === 0 && !v.self) {
        if (v.quiet && (v.verbose || v.json)) throw new UsageError("-quiet cannot be used with -verbose or -json");
        const nodes = (await client.nodes.list({ os: v.os === true })).data;
        if (v.json) io.out.write(`${JSON.stringify(nodes, null, 2)}\n`);
        else if (v.quiet) io.out.write(nodes.map((n) => `${n.ID}\n`).join(""));
        else io.out.write(renderNodeList(nodes, { verbose: v.verbose === true, os: v.os === true }));
        return 0;
      }
      const id = v.self ? (await client.agent.self()).data.stats?.client?.node_id : (await resolveNode(client, args.positionals[0])).ID;
      if (!id) throw new UsageError("-self: the agent runs no client node");
      const node = (await client.nodes.info(id)).data;
      if (v.json) {
        io.out.write(`${JSON.stringify(node, null, 2)}\n`);
        return 0;
      }
      const allocs = (await client.nodes.allocations(node.ID)).data;
      io.out.write(renderNode(node, allocs, { verbose: v.verbose === true, nowMs: Date.now() }));
      return 0;
    });
  },
};
