/** `drover server members`: the known servers and their status, as `nomad server members` prints them. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { AgentMember, NomadClient } from "../../../api";
import { formatList } from "../../render/status-format";
import type { Subcommand } from "../subcommand";
import { parseJobArgs, withClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** The leader's RPC address of each region the members are in (left members aside), and the errors of the regions whose leader could not be read. */
async function regionLeaders(
  client: NomadClient,
  members: readonly AgentMember[],
): Promise<{ leaders: Map<string, string>; errors: string[] }> {
  const regions = new Set(members.filter((m) => m.Status !== "left").map((m) => m.Tags?.region ?? ""));
  const leaders = new Map<string, string>();
  const errors: string[] = [];
  for (const region of [...regions].sort()) {
    try {
      leaders.set(region, (await client.status.leader({ region })).data);
    } catch (err) {
      errors.push(`Region ${JSON.stringify(region)}: ${(err as Error).message}`);
    }
  }
  return { leaders, errors };
}

/** Whether the member is its region's leader: its address and RPC port are the leader's address. */
function isLeader(m: AgentMember, leaders: Map<string, string>): boolean {
  const host = m.Addr.includes(":") ? `[${m.Addr}]` : m.Addr;
  return leaders.get(m.Tags?.region ?? "") === `${host}:${m.Tags?.port ?? ""}`;
}

/** Nomad's standard (or, verbose, detailed) member table. */
export function renderMembers(members: readonly AgentMember[], leaders: Map<string, string>, verbose: boolean): string {
  const tag = (m: AgentMember, k: string) => m.Tags?.[k] ?? "";
  const rows = verbose
    ? ["Name|Address|Port|Status|Leader|Protocol|Raft Version|Build|Datacenter|Region|Tags"]
    : ["Name|Address|Port|Status|Leader|Raft Version|Build|Datacenter|Region"];
  for (const m of members) {
    const common = [m.Name, m.Addr, String(m.Port), m.Status, String(isLeader(m, leaders))];
    const rest = [tag(m, "raft_vsn"), tag(m, "build"), tag(m, "dc"), tag(m, "region")];
    const tags = Object.entries(m.Tags ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(",");
    rows.push((verbose ? [...common, String(m.ProtocolCur ?? 0), ...rest, tags] : [...common, ...rest]).join("|"));
  }
  return formatList(rows);
}

/** The `drover server members` subcommand. */
export const subcommand: Subcommand = {
  name: "members",
  summary: "List the known servers and their status",
  usage: subcommandUsage(`Usage: drover server members [options]

Lists the known servers and their status (GET /v1/agent/members), with
which one leads its region (GET /v1/status/leader per region). Needs a
token with node:read when ACLs are enabled.

Options:
  -verbose           Also the protocol version and every gossip tag
                     (-detailed is the same).
  -json              Print the members as JSON, each with a Leader tag.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, { verbose: { type: "boolean" }, detailed: { type: "boolean" }, json: { type: "boolean" } });
    if (args.positionals.length) throw new UsageError(`expected no arguments, got ${args.positionals.length}`);
    return withClient(args, io, "server members", async (client) => {
      let members: AgentMember[];
      try {
        members = [...((await client.agent.members()).data.Members ?? [])];
      } catch (err) {
        io.err.write(`drover server members: Error querying servers: ${(err as Error).message}\n`);
        return 1;
      }
      members.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
      const { leaders, errors } = await regionLeaders(client, members);
      if (args.values.json) {
        const out = members.map((m) => ({ ...m, Tags: { ...(m.Tags ?? {}), Leader: String(isLeader(m, leaders)) } }));
        io.out.write(`${JSON.stringify(out, null, 2)}\n`);
        return 0;
      }
      io.out.write(`${renderMembers(members, leaders, args.values.verbose === true || args.values.detailed === true)}\n`);
      if (errors.length > 0) {
        io.err.write(`\nError determining leaders: ${errors.join("; ")}\n`);
        return 1;
      }
      return 0;
    });
  },
};
