/** Options of a port in a group's network. */
export interface PortOptions {
  /** The port inside the task's network namespace (bridge mode) or the container port docker maps to. @default the host port */
  readonly to?: number;
  /** The host network (from the client configuration) the port is bound on. @default the default host network */
  readonly hostNetwork?: string;
  /** Allow a static port to collide with another allocation's (Nomad 1.10+). @default false */
  readonly ignoreCollision?: boolean;
}

/** How the port's host value is chosen. */
export type PortKind = "dynamic" | "static";

/**
 * A port of a group's network, returned by `group.network.addDynamicPort()`
 * or `addStaticPort()` (or `group.addPort()`). Services, checks and driver
 * configs take the object instead of its label, so that a port that is not
 * in the group's network is caught at synthesis, and the environment
 * variables Nomad sets for it are one property away.
 */
export class Port {
  /** @internal */
  public constructor(
    /** The port's label, e.g. `"http"`. */
    public readonly label: string,
    /** Whether Nomad picks the host port (`dynamic`) or it is fixed (`static`). */
    public readonly kind: PortKind,
    /** The fixed host port of a static port; `undefined` for a dynamic one. */
    public readonly value: number | undefined,
    /** The port's options. */
    public readonly options: PortOptions,
    /** The construct path of the group whose network declares the port. */
    public readonly groupPath: string,
  ) {}

  /** `${NOMAD_ADDR_<label>}`: `ip:port` of the port on the host. */
  public get envAddr(): string {
    return `\${NOMAD_ADDR_${this.label}}`;
  }

  /** `${NOMAD_PORT_<label>}`: the port the task should listen on (the `to` port when set). */
  public get envPort(): string {
    return `\${NOMAD_PORT_${this.label}}`;
  }

  /** `${NOMAD_HOST_PORT_<label>}`: the port on the host. */
  public get envHostPort(): string {
    return `\${NOMAD_HOST_PORT_${this.label}}`;
  }

  /** `${NOMAD_IP_<label>}`: the host IP the port is bound on. */
  public get envIp(): string {
    return `\${NOMAD_IP_${this.label}}`;
  }

  /** `${NOMAD_ALLOC_PORT_<label>}`: the port inside the allocation's network namespace. */
  public get envAllocPort(): string {
    return `\${NOMAD_ALLOC_PORT_${this.label}}`;
  }

  /** The label, so that a port can be used where Nomad expects a label. */
  public toString(): string {
    return this.label;
  }
}

/** A reference to a port: the `Port` object (checked at synthesis), a label, or a literal port number. */
export type PortRef = Port | string | number;
