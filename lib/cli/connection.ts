/**
 * The connection flags every cluster command takes (`--address`, `--token`,
 * `--namespace`, `--region`, over the NOMAD_* environment), the client they
 * make, and the defaults they give a job that sets no namespace or region.
 */
import type { CommandIO } from "./command";
import type { OptionSpec, ParsedArgs } from "./args";
import { NomadClient } from "../api";
import type { Job } from "../jobspec";

/** The connection flags every cluster command takes (they override NOMAD_ADDR, NOMAD_TOKEN, NOMAD_NAMESPACE, NOMAD_REGION). */
export const CONNECTION_OPTIONS: Record<string, OptionSpec> = {
  address: { type: "string" },
  token: { type: "string" },
  namespace: { type: "string" },
  region: { type: "string" },
};

/** Usage lines of the connection flags. */
export const CONNECTION_USAGE = `Connection (override the NOMAD_* environment):
  --address ADDR     Nomad agent address (NOMAD_ADDR; default http://127.0.0.1:4646)
  --token TOKEN      ACL token (NOMAD_TOKEN)
  --namespace NS     default namespace for jobs that set none (NOMAD_NAMESPACE)
  --region REGION    default region for jobs that set none (NOMAD_REGION)
  TLS: NOMAD_CACERT, NOMAD_CAPATH, NOMAD_CLIENT_CERT, NOMAD_CLIENT_KEY, NOMAD_TLS_SERVER_NAME, NOMAD_SKIP_VERIFY`;

/** A client from the environment and the connection flags. */
export function clientFromArgs(args: ParsedArgs, io: CommandIO): NomadClient {
  const s = (k: string) => (typeof args.values[k] === "string" ? (args.values[k] as string) : undefined);
  return NomadClient.fromEnv(io.env, { address: s("address"), token: s("token"), namespace: s("namespace"), region: s("region") });
}

/** Applies the flags' (or environment's) namespace and region to a job that sets none, as Nomad's CLI does. */
export function withDefaults(job: Job, client: NomadClient): Job {
  const j = { ...job } as Job & { Namespace?: string | null; Region?: string | null };
  if (!j.Namespace && client.config.namespace) j.Namespace = client.config.namespace;
  if (!j.Region && client.config.region) j.Region = client.config.region;
  return j;
}
