import { Construct } from "constructs";
import { block, JsonObject, stringMap } from "./json";
import { NomadConstruct } from "./nomad-construct";
import { Port, PortKind, PortOptions } from "./port";
import type { RenderContext } from "./render-context";

/** The network mode of a group. */
export type NetworkMode = "host" | "bridge" | "none" | `cni/${string}`;

/** DNS configuration of a group in bridge or CNI mode. */
export interface DnsProps {
  /** Name servers. */
  readonly servers?: readonly string[];
  /** Search domains. */
  readonly searches?: readonly string[];
  /** resolv.conf options, e.g. `"ndots:2"`. */
  readonly options?: readonly string[];
}

/** Props of a group's network (the `network` block). */
export interface NetworkProps {
  /** The network mode. @default "host" */
  readonly mode?: NetworkMode;
  /** The host name of the allocation's network namespace (bridge mode). */
  readonly hostname?: string;
  /** DNS configuration (bridge and CNI modes). @default the host's resolv.conf */
  readonly dns?: DnsProps;
  /** Arguments for the CNI plugins (CNI mode). */
  readonly cniArgs?: Readonly<Record<string, string>>;
}

/**
 * The network of a group: its mode and ports. Every group has one,
 * `group.network`; it is rendered only when it has a port or a prop.
 */
export class Network extends NomadConstruct {
  private readonly ports: Port[] = [];
  private settings: NetworkProps;

  /** Creates the network of `scope`; groups do this themselves. */
  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    this.settings = { ...props };
  }

  /** Changes the network props (mode, hostname, DNS). */
  public configure(props: NetworkProps): void {
    this.checkProps("NetworkProps", props);
    this.settings = { ...this.settings, ...props };
  }

  /** The ports declared so far, in order. */
  public get allPorts(): readonly Port[] {
    return this.ports;
  }

  /** A port Nomad picks on the host (from 20000–32000), mapped to `to` inside the task when set. */
  public addDynamicPort(label: string, options: PortOptions = {}): Port {
    this.checkProps("PortOptions", options, `ports.${label}`);
    return this.declarePort(label, "dynamic", undefined, options);
  }

  /** A fixed port on the host (HCL `static = N`). */
  public addStaticPort(label: string, value: number, options: PortOptions = {}): Port {
    this.checkProps("PortOptions", options, `ports.${label}`);
    return this.declarePort(label, "static", value, options);
  }

  /** @internal Adds a port whose options were checked by the caller (`group.addPort`). */
  public declarePort(label: string, kind: PortKind, value: number | undefined, options: PortOptions): Port {
    return this.add(new Port(label, kind, value, options, this.node.scope?.node.path ?? ""));
  }

  /** Finds a port by label. */
  public findPort(label: string): Port | undefined {
    return this.ports.find((p) => p.label === label);
  }

  /** Whether the port object was declared by this network. */
  public hasPort(port: Port): boolean {
    return this.ports.includes(port);
  }

  private add(port: Port): Port {
    if (this.findPort(port.label)) throw new Error(`${this.node.path}: port "${port.label}" is already declared in this network`);
    this.ports.push(port);
    return port;
  }

  /** Whether the network has anything to render. */
  public get isEmpty(): boolean {
    const s = this.settings;
    return this.ports.length === 0 && s.mode === undefined && s.hostname === undefined && s.dns === undefined && s.cniArgs === undefined;
  }

  /** Renders the network as Nomad's `NetworkResource`. */
  public render(ctx: RenderContext): JsonObject {
    const s = this.settings;
    const port = (p: Port): JsonObject =>
      block({
        Label: p.label,
        Value: p.value,
        To: p.options.to,
        HostNetwork: p.options.hostNetwork,
        IgnoreCollision: p.options.ignoreCollision,
      }) as JsonObject;
    const reserved = this.ports.filter((p) => p.kind === "static").map(port);
    const dynamic = this.ports.filter((p) => p.kind === "dynamic").map(port);
    const json =
      block({
        Mode: s.mode,
        Hostname: s.hostname,
        DNS: s.dns
          ? block({
              Servers: s.dns.servers ? [...s.dns.servers] : undefined,
              Searches: s.dns.searches ? [...s.dns.searches] : undefined,
              Options: s.dns.options ? [...s.dns.options] : undefined,
            })
          : undefined,
        ReservedPorts: reserved.length ? reserved : undefined,
        DynamicPorts: dynamic.length ? dynamic : undefined,
        CNI: s.cniArgs ? { Args: stringMap(s.cniArgs) ?? {} } : undefined,
      }) ?? {};
    return this.applyPatches(json, ctx);
  }
}
