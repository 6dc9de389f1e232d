import type { IConstruct } from "constructs";
import { Network } from "./network";
import { Port, PortRef } from "./port";
import type { PropLocation, RenderContext } from "./render-context";

/** The network of the group that encloses `scope` (the group itself, or the group of a task or service). */
function enclosingNetwork(scope: IConstruct): Network | undefined {
  for (let s: IConstruct | undefined = scope; s !== undefined; s = s.node.scope) {
    const n = s.node.tryFindChild("network");
    if (n instanceof Network) return n;
  }
  return undefined;
}

/**
 * Renders a port reference as the label (or number) Nomad expects, and
 * records a problem when it names a port that is not in the network of the
 * enclosing group: caught at synthesis rather than when the allocation fails.
 * A numeric string or number is a literal port number and is not checked.
 */
export function resolvePortRef(ref: PortRef | undefined, scope: IConstruct, ctx: RenderContext, at: PropLocation): string | undefined {
  if (ref === undefined) return undefined;
  const network = enclosingNetwork(scope);
  const groupPath = (): string => network?.node.scope?.node.path ?? "(no group)";
  if (ref instanceof Port) {
    if (!network || !network.hasPort(ref)) {
      ctx.problem(
        at,
        `port "${ref.label}" belongs to group ${ref.groupPath}, not to the network of group ${groupPath()}; declare it in this group (group.network.addDynamicPort("${ref.label}"))`,
      );
    }
    return ref.label;
  }
  if (typeof ref === "number") return String(ref);
  if (/^\d+$/.test(ref)) return ref;
  if (!network || !network.findPort(ref)) {
    const known = network?.allPorts.map((p) => `"${p.label}"`).join(", ") || "none";
    ctx.problem(at, `no port "${ref}" in the network of group ${groupPath()} (its ports: ${known})`);
  }
  return ref;
}
