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
  Limit: intNum().describe("Restart after this many consecutive unhealthy checks; 0 disables."),
  Grace: durationNs().describe("Wait this long (ns) after a task starts before checking; default 1s when a check_restart is set."),
  IgnoreWarnings: bool().describe("Treat warning as healthy."),
}).describe("CheckRestart: restart a task on failing checks (api.CheckRestart).");
/** A CheckRestart block. */
export type CheckRestart = z.infer<typeof CheckRestartSchema>;

/** A health check of a service. */
export const ServiceCheckSchema = block({
  Name: str().describe('Check name; the server defaults it to `service: "<service>" check`.'),
  Type: str().describe('"http", "tcp", "script" or "grpc".'),
  Command: str().describe("Command of a script check."),
  Args: strList().describe("Arguments of a script check."),
  Path: str().describe("HTTP path of an http check."),
  Protocol: str().describe('"http" (default) or "https" for http checks.'),
  PortLabel: str().describe("Port label (or number) to check; default the service's port."),
  Expose: bool().describe("Expose the check through the Connect proxy."),
  AddressMode: str().describe('"host" (default), "driver" or "alloc".'),
  Advertise: str().describe("Ignored by the server; use the service's Address."),
  Interval: durationNs().describe("How often to check (ns); required, at least 1s."),
  Timeout: durationNs().describe("Check timeout (ns); required for non-script checks, at least 1s."),
  InitialStatus: oneOf(["", ...CHECK_INITIAL_STATUSES]).describe('"passing", "warning" or "critical" (Consul default critical).'),
  Notes: str(),
  TLSServerName: str(),
  TLSSkipVerify: bool(),
  Header: z.record(z.string(), z.array(z.string({ error: (iss) => stringMessage(iss.input) }), { error: listError }), { error: objectError }).nullish().describe("HTTP headers: name to list of values."),
  Method: str().describe('HTTP method; default "GET".'),
  CheckRestart: CheckRestartSchema.nullish(),
  GRPCService: str(),
  GRPCUseTLS: bool(),
  TaskName: str().describe("Task whose network namespace runs a script check (group services)."),
  SuccessBeforePassing: intNum().describe("Consecutive successes before passing."),
  FailuresBeforeCritical: intNum().describe("Consecutive failures before critical."),
  FailuresBeforeWarning: intNum().describe("Consecutive failures before warning."),
  Body: str().describe("HTTP request body."),
  OnUpdate: oneOf(["", ...ON_UPDATE_VALUES]).describe("Default the service's OnUpdate."),
}).describe("ServiceCheck: a health check (api.ServiceCheck).");
/** A ServiceCheck block. */
export type ServiceCheck = z.infer<typeof ServiceCheckSchema>;

/** DNS SRV weights of a Consul service. */
export const ServiceWeightsSchema = block({
  Passing: intNum().describe("Weight when passing; values below 1 become 1."),
  Warning: intNum().describe("Weight when warning; values below 1 become 1."),
}).describe("ServiceWeights: Consul DNS weights (api.ServiceWeights).");
/** A ServiceWeights block. */
export type ServiceWeights = z.infer<typeof ServiceWeightsSchema>;

/** A service registration. */
export const ServiceSchema = block({
  Name: str().describe('Service name; default "<job>-<group>" (group) or "<job>-<group>-<task>" (task). ${JOB}, ${TASKGROUP}, ${TASK} and ${BASE} are interpolated.'),
  Tags: strList(),
  CanaryTags: strList().describe("Tags while the allocation is a canary."),
  EnableTagOverride: bool(),
  PortLabel: str().describe("Port label of the group network, or a port number."),
  AddressMode: oneOf(["", ...SERVICE_ADDRESS_MODES]).describe('"auto" (default), "host", "driver" or "alloc".'),
  Address: str().describe("Custom address to advertise (address_mode auto)."),
  Checks: listOf(ServiceCheckSchema),
  CheckRestart: CheckRestartSchema.nullish().describe("Default check_restart for every check of the service."),
  Connect: ConsulConnectSchema.nullish(),
  Meta: strMap(),
  CanaryMeta: strMap(),
  TaggedAddresses: strMap(),
  TaskName: str().describe("Task of a group service; set by canonicalize for task services."),
  OnUpdate: oneOf(["", ...ON_UPDATE_VALUES]).describe('"require_healthy" (default), "ignore_warnings" or "ignore".'),
  Identity: WorkloadIdentitySchema.nullish(),
  Weights: ServiceWeightsSchema.nullish(),
  Provider: oneOf(["", ...SERVICE_PROVIDERS]).describe('"consul" (default) or "nomad".'),
  Cluster: str().describe('Consul cluster; default "default".'),
  Kind: str().describe("Consul service kind."),
  Namespace: str().describe("Read-back only: the namespace the server registered the service in."),
}).describe("Service: a service registration (api.Service).");
/** A Service block. */
export type Service = z.infer<typeof ServiceSchema>;
