import { Construct } from "constructs";
import { CheckProps, CheckRestartProps, renderCheck, renderCheckRestart } from "./check";
import { IdentityProps, renderIdentity } from "./identity";
import { block, jsonCopy, JsonObject, stringMap } from "./json";
import { NomadConstruct } from "./nomad-construct";
import type { PortRef } from "./port";
import { resolvePortRef } from "./port-ref";
import { joinProp, PropLocation, RenderContext } from "./render-context";

/** Where a service is registered. */
export type ServiceProvider = "consul" | "nomad";

/** A Consul Connect sidecar service (service mesh). */
export interface SidecarServiceProps {
  /** The port label of the sidecar proxy; omit for a dynamic port Nomad adds. */
  readonly port?: string;
  /** Tags of the sidecar service. @default the parent service's tags */
  readonly tags?: readonly string[];
  /** Do not add Consul's default TCP check of the sidecar. @default false */
  readonly disableDefaultTcpCheck?: boolean;
  /** The proxy configuration in Nomad's JSON (`Upstreams`, `Config`, …); use `addOverride` for finer control. */
  readonly proxy?: Readonly<Record<string, unknown>>;
}

/** The `connect` block of a service: Consul service mesh. */
export interface ConnectProps {
  /** The service speaks Connect natively (no sidecar). @default false */
  readonly native?: boolean;
  /** Run an Envoy sidecar for the service. */
  readonly sidecarService?: SidecarServiceProps;
}

/** Props of a service (the `service` block), at group or task level. */
export interface ServiceProps {
  /** The service name; may use `${JOB}`, `${TASKGROUP}`, `${TASK}`, `${BASE}`. @default the construct id */
  readonly name?: string;
  /** The port the service advertises: a `Port` of the group's network (checked at synthesis), a label, or a number. */
  readonly port?: PortRef;
  /** Tags registered with the service. */
  readonly tags?: readonly string[];
  /** Tags used instead of `tags` while the allocation is a canary. */
  readonly canaryTags?: readonly string[];
  /** Let Consul's anti-entropy leave tags changed outside Nomad. @default false */
  readonly enableTagOverride?: boolean;
  /** Which address is advertised. @default "auto" */
  readonly addressMode?: "auto" | "host" | "driver" | "alloc";
  /** A fixed address to advertise instead of the allocation's. */
  readonly address?: string;
  /** Health checks. More can be added with `addCheck`. */
  readonly checks?: readonly CheckProps[];
  /** Restart the task when a check stays unhealthy (applies to every check). */
  readonly checkRestart?: CheckRestartProps;
  /** Service metadata. */
  readonly meta?: Readonly<Record<string, string>>;
  /** Metadata used instead of `meta` while the allocation is a canary. */
  readonly canaryMeta?: Readonly<Record<string, string>>;
  /** Extra addresses registered with Consul, by name. */
  readonly taggedAddresses?: Readonly<Record<string, string>>;
  /** The task a group service belongs to (for script checks and `${TASK}`). */
  readonly task?: string;
  /** How checks count during a deployment. @default "require_healthy" */
  readonly onUpdate?: "require_healthy" | "ignore_warnings" | "ignore";
  /** Where the service is registered. @default "consul" */
  readonly provider?: ServiceProvider;
  /** The Consul cluster (from the agent's configuration). @default "default" */
  readonly cluster?: string;
  /** Consul DNS SRV weights while passing and warning. @default passing 1, warning 1 */
  readonly weights?: { readonly passing: number; readonly warning: number };
  /** A workload identity for the service (Consul). */
  readonly identity?: IdentityProps;
  /** Consul service mesh. */
  readonly connect?: ConnectProps;
}

/**
 * A service registered for a group or a task, with its health checks.
 *
 * @example
 * const http = group.network.addDynamicPort("http", { to: 8000 });
 * group.addService("api", { port: http, checks: [{ type: "http", path: "/health", interval: "10s", timeout: "3s" }] });
 */
export class Service extends NomadConstruct {
  private readonly props: ServiceProps;
  private readonly checks: CheckProps[];

  /** Declares a service in a group or a task. */
  constructor(scope: Construct, id: string, props: ServiceProps = {}) {
    super(scope, id);
    this.checkProps("ServiceProps", props);
    this.props = props;
    this.checks = [...(props.checks ?? [])];
  }

  /** The service name as registered (before Nomad's interpolation). */
  public get name(): string {
    return this.props.name ?? this.node.id;
  }

  /** Adds a health check. */
  public addCheck(check: CheckProps): this {
    this.checkProps("CheckProps", check, `checks[${this.checks.length}]`);
    this.checks.push(check);
    return this;
  }

  /** Renders the service as Nomad's `Service`. */
  public render(ctx: RenderContext): JsonObject {
    const p = this.props;
    const constructPath = this.node.path;
    const at = (prop: string): PropLocation => ({ constructPath, prop });
    const connect = p.connect
      ? (block({
          Native: p.connect.native,
          SidecarService: p.connect.sidecarService
            ? (block({
                Tags: p.connect.sidecarService.tags ? [...p.connect.sidecarService.tags] : undefined,
                Port: p.connect.sidecarService.port,
                Proxy: jsonCopy(p.connect.sidecarService.proxy),
                DisableDefaultTCPCheck: p.connect.sidecarService.disableDefaultTcpCheck,
              }) ?? {})
            : undefined,
        }) ?? {})
      : undefined;
    const json =
      block({
        Name: this.name,
        Tags: p.tags ? [...p.tags] : undefined,
        CanaryTags: p.canaryTags ? [...p.canaryTags] : undefined,
        EnableTagOverride: p.enableTagOverride,
        PortLabel: resolvePortRef(p.port, this, ctx, at("port")),
        AddressMode: p.addressMode,
        Address: p.address,
        Checks: this.checks.length ? this.checks.map((c, i) => renderCheck(c, this, ctx, at(joinProp("checks", i)))) : undefined,
        CheckRestart: renderCheckRestart(p.checkRestart, ctx, at("checkRestart")),
        Connect: connect,
        Meta: stringMap(p.meta),
        CanaryMeta: stringMap(p.canaryMeta),
        TaggedAddresses: stringMap(p.taggedAddresses),
        TaskName: p.task,
        OnUpdate: p.onUpdate,
        Identity: renderIdentity(p.identity, ctx, at("identity")),
        Weights: p.weights ? { Passing: p.weights.passing, Warning: p.weights.warning } : undefined,
        Provider: p.provider,
        Cluster: p.cluster,
      }) ?? {};
    return this.applyPatches(json, ctx);
  }
}

/**
 * Renders the services of a group or a task as Nomad's `Services` list, or
 * `undefined` when there are none; `json` is the owner's key in the job, so
 * that each service's problems point at its construct.
 */
export function renderServices(services: readonly Service[], ctx: RenderContext, json: string): JsonObject[] | undefined {
  if (!services.length) return undefined;
  return services.map((s, i) => {
    ctx.source(RenderContext.childKey(json, "Services", i), s.node.path);
    return s.render(ctx);
  });
}
