/** What the `drover deployment …` subcommands share: finding a deployment by ID or unique prefix. */
import type { CommandIO } from "../../command";
import type { Deployment, NomadClient } from "../../../api";
import type { ParsedArgs } from "../../args";
import { renderDeploymentList } from "../../render/deployment";
import { JobCommandError, onePositional, withJobClient } from "../subcommand-common";

/**
 * The deployment whose ID is `idOrPrefix` or uniquely starts with it, as
 * Nomad's CLI finds them; a failure names the namespace, or lists the matches.
 */
async function resolveDeployment(client: NomadClient, idOrPrefix: string): Promise<Deployment> {
  const namespace = client.config.namespace ?? "default";
  if (/^[0-9a-f-]{36}$/.test(idOrPrefix)) {
    const exact = await client.deployments.info(idOrPrefix).then(
      (r) => r.data,
      () => null,
    );
    if (exact) return exact;
  }
  const list = (await client.deployments.list({ prefix: idOrPrefix })).data ?? [];
  const exact = list.find((d) => d.ID === idOrPrefix);
  if (exact) return exact;
  if (list.length === 0) throw new JobCommandError(`No deployment(s) with prefix or ID "${idOrPrefix}" found in namespace "${namespace}"`);
  if (list.length > 1) throw new JobCommandError(`Prefix matched multiple deployments\n\n${renderDeploymentList(list).trimEnd()}`);
  return list[0];
}

/**
 * Runs a subcommand on the one deployment its argument names (an ID or a
 * unique prefix): connects, finds the deployment, runs `body` with it and
 * closes the client; a failure is reported for `sub` ("deployment pause").
 */
export async function withDeployment(
  args: ParsedArgs,
  io: CommandIO,
  sub: string,
  body: (client: NomadClient, deployment: Deployment) => Promise<number>,
): Promise<number> {
  const given = onePositional(args, "deployment ID");
  return withJobClient(args, io, sub, async (client) => body(client, await resolveDeployment(client, given)));
}
