import type { IConstruct } from "constructs";
import type { DurationInput } from "./duration";
import { block, JsonObject } from "./json";
import type { PortRef } from "./port";
import { resolvePortRef } from "./port-ref";
import type { PropLocation, RenderContext } from "./render-context";

/** The kind of health check. */
export type CheckType = "http" | "tcp" | "script" | "grpc";

/** Restarts a task whose check stays unhealthy (`check_restart`). */
export interface CheckRestartProps {
  /** How many consecutive unhealthy results restart the task; 0 disables. @default 0 */
  readonly limit?: number;
  /** How long after the task starts before unhealthy results count. @default "1s" */
  readonly grace?: DurationInput;
  /** Count only critical results, not warnings. @default false */
  readonly ignoreWarnings?: boolean;
}

/** A health check of a service (the `check` block). */
export interface CheckProps {
  /** The check's name. @default `service: "<service>" check` */
  readonly name?: string;
  /** The kind of check. */
  readonly type: CheckType;
  /** The port to check: a `Port`, a label, or a number. @default the service's port */
  readonly port?: PortRef;
  /** The HTTP path (type http), e.g. `"/health"`. */
  readonly path?: string;
  /** The HTTP scheme (type http). @default "http" */
  readonly protocol?: "http" | "https";
  /** The HTTP method (type http). @default "GET" */
  readonly method?: string;
  /** HTTP headers (type http), each with a list of values. */
  readonly header?: Readonly<Record<string, readonly string[]>>;
  /** The HTTP request body (type http). */
  readonly body?: string;
  /** How often the check runs. */
  readonly interval: DurationInput;
  /** How long one check may take before it fails. */
  readonly timeout: DurationInput;
  /** The command (type script), run inside the task. */
  readonly command?: string;
  /** The command's arguments (type script). */
  readonly args?: readonly string[];
  /** The task a group-level script check runs in. */
  readonly task?: string;
  /** Which address is checked. @default the service's address mode */
  readonly addressMode?: "host" | "driver" | "alloc";
  /** Expose the check path through the Connect sidecar (type http or grpc). @default false */
  readonly expose?: boolean;
  /** The status before the first run: `"passing"`, `"warning"` or `"critical"`. @default "critical" (Consul) */
  readonly initialStatus?: "passing" | "warning" | "critical";
  /** The server name for TLS verification (https checks). */
  readonly tlsServerName?: string;
  /** Skip TLS verification (https checks). @default false */
  readonly tlsSkipVerify?: boolean;
  /** The gRPC service to check (type grpc). */
  readonly grpcService?: string;
  /** Use TLS for the gRPC check. @default false */
  readonly grpcUseTls?: boolean;
  /** Consecutive passes before the check is passing (Consul). @default 0 */
  readonly successBeforePassing?: number;
  /** Consecutive failures before the check is critical (Consul). @default 0 */
  readonly failuresBeforeCritical?: number;
  /** Consecutive failures before the check is warning (Consul). @default 0 */
  readonly failuresBeforeWarning?: number;
  /** How the check counts during a deployment. @default the service's `onUpdate` */
  readonly onUpdate?: "require_healthy" | "ignore_warnings" | "ignore";
  /** Restart the task when the check stays unhealthy. */
  readonly checkRestart?: CheckRestartProps;
  /** Free-form notes shown in Consul. */
  readonly notes?: string;
}

/** Renders a check-restart block as Nomad's `CheckRestart`. */
export function renderCheckRestart(c: CheckRestartProps | undefined, ctx: RenderContext, at: PropLocation): JsonObject | undefined {
  if (c === undefined) return undefined;
  return block({ Limit: c.limit, Grace: ctx.duration(c.grace, at, "grace"), IgnoreWarnings: c.ignoreWarnings }) ?? {};
}

/** Renders a check as Nomad's `ServiceCheck`; `scope` is the service, for port references. */
export function renderCheck(c: CheckProps, scope: IConstruct, ctx: RenderContext, at: PropLocation): JsonObject {
  const sub = (key: string): PropLocation => ({ constructPath: at.constructPath, prop: `${at.prop}.${key}` });
  return block({
    Name: c.name,
    Type: c.type,
    Command: c.command,
    Args: c.args ? [...c.args] : undefined,
    Path: c.path,
    Protocol: c.protocol,
    PortLabel: resolvePortRef(c.port, scope, ctx, sub("port")),
    Expose: c.expose,
    AddressMode: c.addressMode,
    Interval: ctx.duration(c.interval, at, "interval"),
    Timeout: ctx.duration(c.timeout, at, "timeout"),
    InitialStatus: c.initialStatus,
    Notes: c.notes,
    TLSServerName: c.tlsServerName,
    TLSSkipVerify: c.tlsSkipVerify,
    Header: c.header ? Object.fromEntries(Object.entries(c.header).map(([k, v]) => [k, [...v]])) : undefined,
    Method: c.method,
    Body: c.body,
    CheckRestart: renderCheckRestart(c.checkRestart, ctx, sub("checkRestart")),
    GRPCService: c.grpcService,
    GRPCUseTLS: c.grpcUseTls,
    TaskName: c.task,
    SuccessBeforePassing: c.successBeforePassing,
    FailuresBeforeCritical: c.failuresBeforeCritical,
    FailuresBeforeWarning: c.failuresBeforeWarning,
    OnUpdate: c.onUpdate,
  }) as JsonObject;
}
