/** What the `drover node` subcommands share: finding a node by ID prefix as Nomad's CLI does, and the short node list. */
import type { NodeListStub, NomadClient } from "../../../api";
import { formatList, shortID } from "../../render/status-format";
import { JobCommandError } from "../subcommand-common";

/** The short node list Nomad prints when a prefix matches several (`formatNodeStubList`). */
export function formatNodeStubList(nodes: readonly NodeListStub[], verbose: boolean): string {
  const rows = ["ID|Node Pool|DC|Name|Class|Drain|Eligibility|Status"];
  for (const n of nodes)
    rows.push(
      `${verbose ? n.ID : shortID(n.ID)}|${n.NodePool ?? ""}|${n.Datacenter}|${n.Name}|${n.NodeClass}|${n.Drain}|${n.SchedulingEligibility}|${n.Status}`,
    );
  return formatList(rows);
}

/**
 * The node named by its ID or a unique prefix of it, as Nomad's CLI finds it
 * (`Identifier must contain at least two characters.`, `No node(s) with
 * prefix or id "x" found`, or the list of nodes an ambiguous prefix
 * matches); drover also takes a node's exact name when no ID matches.
 */
export async function resolveNode(client: NomadClient, idOrPrefix: string): Promise<NodeListStub> {
  if (idOrPrefix.length === 1) throw new JobCommandError("Identifier must contain at least two characters.");
  // Nomad's sanitizeUUIDPrefix: an odd-length prefix of a UUID is cut to even length.
  const prefix = /^[0-9a-f-]+$/i.test(idOrPrefix) && idOrPrefix.replace(/-/g, "").length % 2 === 1 ? idOrPrefix.slice(0, -1) : idOrPrefix;
  const byID = (await client.nodes.list({ prefix })).data;
  if (byID.length === 1) return byID[0];
  if (byID.length > 1) {
    const exact = byID.find((n) => n.ID === idOrPrefix);
    if (exact) return exact;
    throw new JobCommandError(`Prefix matched multiple nodes\n\n${formatNodeStubList(byID, true)}`);
  }
  const byName = (await client.nodes.list()).data.filter((n) => n.Name === idOrPrefix);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) throw new JobCommandError(`Name matched multiple nodes\n\n${formatNodeStubList(byName, true)}`);
  throw new JobCommandError(`No node(s) with prefix or id ${JSON.stringify(idOrPrefix)} found`);
}
