/** What the `drover deployment …` subcommands share: finding a deployment by ID or unique prefix. */
import type { Deployment, NomadClient } from "../../../api";
import { renderDeploymentList } from "../../render/deployment";
import { JobCommandError } from "../job/common";

/**
 * The deployment whose ID is `idOrPrefix` or uniquely starts with it, as
 * Nomad's CLI finds them; a failure names the namespace, or lists the matches.
 */
export async function resolveDeployment(client: NomadClient, idOrPrefix: string): Promise<Deployment> {
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
