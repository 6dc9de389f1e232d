/**
 * Service registration (`api/services.go`): Service, ServiceCheck,
 * CheckRestart and ServiceWeights.
 */
import { z } from "zod";
import { CHECK_INITIAL_STATUSES, ON_UPDATE_VALUES, SERVICE_ADDRESS_MODES, SERVICE_PROVIDERS } from "../constants";
import { ConsulConnectSchema } from "./consul";
import { WorkloadIdentitySchema } from "./identity";
import { block, bool, durationNs, intNum, listError, listOf, objectError, oneOf, str, stringMessage, strList, strMap } from "./primitives";

/** Restart the task when a check stays unhealthy. */
export const CheckRestartSchema = block({
  /** Restart after this many consecutive unhealthy checks; 0 disables. */
  Limit: intNum().describe("Restart after this many consecutive unhealthy checks; 0 disables."),
  /** Wait this long (ns) after a task starts before checking; default 1s when a check_restart is set. */
  Grace: durationNs().describe("Wait this long (ns) after a task starts before checking; default 1s when a check_restart is set."),
  /** Treat warning as healthy. */
  IgnoreWarnings: bool().describe("Treat warning as healthy."),
}).describe("CheckRestart: restart a task on failing checks (api.CheckRestart).");
/** A CheckRestart block. */
export type CheckRestart = z.infer<typeof CheckRestartSchema>;

/** A health check of a service. */
export const ServiceCheckSchema = block({
  /** Check name; the server defaults it to `service: "<service>" check`. */
  Name: str().describe('Check name; the server defaults it to `service: "<service>" check`.'),
  /** "http", "tcp", "script" or "grpc". */
  Type: str().describe('"http", "tcp", "script" or "grpc".'),
  /** Command of a script check. */
  Command: str().describe("Command of a script check."),
  /** Arguments of a script check. */
  Args: strList().describe("Arguments of a script check."),
  /** HTTP path of an http check. */
  Path: str().describe("HTTP path of an http check."),
  /** "http" (default) or "https" for http checks. */
  Protocol: str().describe('"http" (default) or "https" for http checks.'),
  /** Port label (or number) to check; default the service's port. */
  PortLabel: str().describe("Port label (or number) to check; default the service's port."),
  /** Expose the check through the Connect proxy. */
  Expose: bool().describe("Expose the check through the Connect proxy."),
  /** "host" (default), "driver" or "alloc". */
  AddressMode: str().describe('"host" (default), "driver" or "alloc".'),
  /** Ignored by the server; use the service's Address. */
  Advertise: str().describe("Ignored by the server; use the service's Address."),
  /** How often to check (ns); required, at least 1s. */
  Interval: durationNs().describe("How often to check (ns); required, at least 1s."),
  /** Check timeout (ns); required for non-script checks, at least 1s. */
  Timeout: durationNs().describe("Check timeout (ns); required for non-script checks, at least 1s."),
  /** "passing", "warning" or "critical" (Consul default critical). */
  InitialStatus: oneOf(["", ...CHECK_INITIAL_STATUSES]).describe('"passing", "warning" or "critical" (Consul default critical).'),
  /** Notes shown in Consul. */
  Notes: str().describe("Notes shown in Consul."),
  /** Server name for TLS verification. */
  TLSServerName: str().describe("Server name for TLS verification."),
  /** Skip TLS verification; default false. */
  TLSSkipVerify: bool().describe("Skip TLS verification; default false."),
  /** HTTP headers: name to list of values. */
  Header: z
    .record(z.string(), z.array(z.string({ error: (iss) => stringMessage(iss.input) }), { error: listError }), { error: objectError })
    .nullish()
    .describe("HTTP headers: name to list of values."),
  /** HTTP method; default "GET". */
  Method: str().describe('HTTP method; default "GET".'),
  /** Restart the task when the check stays unhealthy. */
  CheckRestart: CheckRestartSchema.nullish().describe("Restart the task when the check stays unhealthy."),
  /** gRPC service to check (grpc checks). */
  GRPCService: str().describe("gRPC service to check (grpc checks)."),
  /** Use TLS for grpc checks; default false. */
  GRPCUseTLS: bool().describe("Use TLS for grpc checks; default false."),
  /** Task whose network namespace runs a script check (group services). */
  TaskName: str().describe("Task whose network namespace runs a script check (group services)."),
  /** Consecutive successes before passing. */
  SuccessBeforePassing: intNum().describe("Consecutive successes before passing."),
  /** Consecutive failures before critical. */
  FailuresBeforeCritical: intNum().describe("Consecutive failures before critical."),
  /** Consecutive failures before warning. */
  FailuresBeforeWarning: intNum().describe("Consecutive failures before warning."),
  /** HTTP request body. */
  Body: str().describe("HTTP request body."),
  /** Default the service's OnUpdate. */
  OnUpdate: oneOf(["", ...ON_UPDATE_VALUES]).describe("Default the service's OnUpdate."),
}).describe("ServiceCheck: a health check (api.ServiceCheck).");
/** A ServiceCheck block. */
export type ServiceCheck = z.infer<typeof ServiceCheckSchema>;

/** DNS SRV weights of a Consul service. */
export const ServiceWeightsSchema = block({
  /** Weight when passing; values below 1 become 1. */
  Passing: intNum().describe("Weight when passing; values below 1 become 1."),
  /** Weight when warning; values below 1 become 1. */
  Warning: intNum().describe("Weight when warning; values below 1 become 1."),
}).describe("ServiceWeights: Consul DNS weights (api.ServiceWeights).");
/** A ServiceWeights block. */
export type ServiceWeights = z.infer<typeof ServiceWeightsSchema>;

/** A service registration. */
export const ServiceSchema = block({
  /** Service name; default "<job>-<group>" (group) or "<job>-<group>-<task>" (task). ${JOB}, ${TASKGROUP}, ${TASK} and ${BASE} are interpolated. */
  Name: str().describe(
    'Service name; default "<job>-<group>" (group) or "<job>-<group>-<task>" (task). ${JOB}, ${TASKGROUP}, ${TASK} and ${BASE} are interpolated.',
  ),
  /** Tags registered with the service. */
  Tags: strList().describe("Tags registered with the service."),
  /** Tags while the allocation is a canary. */
  CanaryTags: strList().describe("Tags while the allocation is a canary."),
  /** Let Consul's anti-entropy keep tags changed outside Nomad. */
  EnableTagOverride: bool().describe("Let Consul's anti-entropy keep tags changed outside Nomad."),
  /** Port label of the group network, or a port number. */
  PortLabel: str().describe("Port label of the group network, or a port number."),
  /** "auto" (default), "host", "driver" or "alloc". */
  AddressMode: oneOf(["", ...SERVICE_ADDRESS_MODES]).describe('"auto" (default), "host", "driver" or "alloc".'),
  /** Custom address to advertise (address_mode auto). */
  Address: str().describe("Custom address to advertise (address_mode auto)."),
  /** Health checks. */
  Checks: listOf(ServiceCheckSchema).describe("Health checks."),
  /** Default check_restart for every check of the service. */
  CheckRestart: CheckRestartSchema.nullish().describe("Default check_restart for every check of the service."),
  /** Consul service mesh settings. */
  Connect: ConsulConnectSchema.nullish().describe("Consul service mesh settings."),
  /** Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}. */
  Meta: strMap().describe("Free-form metadata (string values), readable as ${NOMAD_META_<key>} and ${meta.<key>}."),
  /** Meta while the allocation is a canary. */
  CanaryMeta: strMap().describe("Meta while the allocation is a canary."),
  /** Consul tagged addresses. */
  TaggedAddresses: strMap().describe("Consul tagged addresses."),
  /** Task of a group service; set by canonicalize for task services. */
  TaskName: str().describe("Task of a group service; set by canonicalize for task services."),
  /** "require_healthy" (default), "ignore_warnings" or "ignore". */
  OnUpdate: oneOf(["", ...ON_UPDATE_VALUES]).describe('"require_healthy" (default), "ignore_warnings" or "ignore".'),
  /** Workload identity. */
  Identity: WorkloadIdentitySchema.nullish().describe("Workload identity."),
  /** Consul DNS SRV weights. */
  Weights: ServiceWeightsSchema.nullish().describe("Consul DNS SRV weights."),
  /** "consul" (default) or "nomad". */
  Provider: oneOf(["", ...SERVICE_PROVIDERS]).describe('"consul" (default) or "nomad".'),
  /** Consul cluster; default "default". */
  Cluster: str().describe('Consul cluster; default "default".'),
  /** Consul service kind. */
  Kind: str().describe("Consul service kind."),
  /** Read-back only: the namespace the server registered the service in. */
  Namespace: str().describe("Read-back only: the namespace the server registered the service in."),
}).describe("Service: a service registration (api.Service).");
/** A Service block. */
export type Service = z.infer<typeof ServiceSchema>;
