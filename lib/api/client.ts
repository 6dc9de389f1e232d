/**
 * `NomadClient`: a typed client of Nomad's HTTP API, configured as Nomad's
 * own tools are (NOMAD_* environment, overridden by explicit options).
 * It knows nothing of drover's included runtime: pointed at any Nomad agent
 * it behaves the same.
 */
import { EventsEndpoint } from "./endpoints/events";
import { SearchEndpoint } from "./endpoints/search";
import { OperatorEndpoint } from "./endpoints/operator";
import { mergeOptions, NomadClientOptions, optionsFromEnv, ResolvedNomadConfig, resolveConfig } from "./config";
import { ACLEndpoint } from "./endpoints/acl";
import { AgentEndpoint } from "./endpoints/agent";
import { NamespacesEndpoint } from "./endpoints/namespaces";
import { AllocationsEndpoint } from "./endpoints/allocations";
import { ClientEndpoint } from "./endpoints/client";
import { DeploymentsEndpoint } from "./endpoints/deployments";
import { EvaluationsEndpoint } from "./endpoints/evaluations";
import { JobsEndpoint } from "./endpoints/jobs";
import { NodesEndpoint } from "./endpoints/nodes";
import { NodePoolsEndpoint } from "./endpoints/node-pools";
import { ScalingEndpoint } from "./endpoints/scaling";
import { ServicesEndpoint } from "./endpoints/services";
import { StatusEndpoint } from "./endpoints/status";
import { SystemEndpoint } from "./endpoints/system";
import { VariablesEndpoint } from "./endpoints/variables";
import { Transport } from "./transport";

/** A client of one Nomad agent. Create one per unit of work and `close()` it when done. */
export class NomadClient {
  /** Job endpoints (`/v1/jobs`, `/v1/job/:id/...`). */
  readonly jobs: JobsEndpoint;
  /** Evaluation endpoints. */
  readonly evaluations: EvaluationsEndpoint;
  /** Allocation endpoints. */
  readonly allocations: AllocationsEndpoint;
  /** Deployment endpoints. */
  readonly deployments: DeploymentsEndpoint;
  /** Node endpoints. */
  readonly nodes: NodesEndpoint;
  /** Node pools. */
  readonly nodePools: NodePoolsEndpoint;
  /** Leader, peers, regions. */
  readonly status: StatusEndpoint;
  /** The local agent. */
  readonly agent: AgentEndpoint;
  /** Scaling policies. */
  readonly scaling: ScalingEndpoint;
  /** Nomad service discovery. */
  readonly services: ServicesEndpoint;
  /** Client endpoints: an allocation's files, logs, stats and checks. */
  readonly client: ClientEndpoint;
  /** ACL bootstrap, policies, tokens and roles. */
  readonly acl: ACLEndpoint;
  /** Namespaces. */
  readonly namespaces: NamespacesEndpoint;
  /** Operator endpoints (`/v1/operator/...`). */
  readonly operator: OperatorEndpoint;
  /** Prefix and fuzzy search (`/v1/search`). */
  readonly search: SearchEndpoint;
  /** The event stream (`/v1/event/stream`). */
  readonly events: EventsEndpoint;
  /** Nomad Variables: reads, check-and-set writes, locks. */
  readonly variables: VariablesEndpoint;
  /** Garbage collection and job summary reconciliation (`/v1/system/...`). */
  readonly system: SystemEndpoint;
  /** The HTTP layer (for raw requests and tests). */
  readonly transport: Transport;

  /** A client from explicit options only (no environment). */
  constructor(options: NomadClientOptions = {}) {
    this.transport = new Transport(resolveConfig(options));
    this.jobs = new JobsEndpoint(this.transport);
    this.evaluations = new EvaluationsEndpoint(this.transport);
    this.allocations = new AllocationsEndpoint(this.transport);
    this.deployments = new DeploymentsEndpoint(this.transport);
    this.nodes = new NodesEndpoint(this.transport);
    this.nodePools = new NodePoolsEndpoint(this.transport);
    this.status = new StatusEndpoint(this.transport);
    this.agent = new AgentEndpoint(this.transport);
    this.scaling = new ScalingEndpoint(this.transport);
    this.services = new ServicesEndpoint(this.transport);
    this.client = new ClientEndpoint(this.transport);
    this.acl = new ACLEndpoint(this.transport);
    this.namespaces = new NamespacesEndpoint(this.transport);
    this.events = new EventsEndpoint(this.transport);
    this.search = new SearchEndpoint(this.transport);
    this.operator = new OperatorEndpoint(this.transport);
    this.variables = new VariablesEndpoint(this.transport);
    this.system = new SystemEndpoint(this.transport);
  }

  /** A client from NOMAD_ADDR, NOMAD_TOKEN, NOMAD_REGION, NOMAD_NAMESPACE and the TLS variables, with `overrides` winning. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, overrides: NomadClientOptions = {}): NomadClient {
    return new NomadClient(mergeOptions(optionsFromEnv(env), overrides));
  }

  /** The resolved configuration (address, region, namespace, TLS…). */
  get config(): ResolvedNomadConfig {
    return this.transport.config;
  }

  /** The agent address requests go to. */
  get address(): string {
    return this.transport.config.address;
  }

  /** Releases the client's connections. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
