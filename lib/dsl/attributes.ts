/**
 * Targets for constraints, affinities and spreads: the node attributes and
 * metadata Nomad interpolates on the client (`${attr.kernel.name}`,
 * `${node.datacenter}`, `${meta.rack}`), so that a typo becomes a compile
 * error instead of a job that places nowhere.
 */

/** Node attributes fingerprinted by the Nomad client (`${attr.*}`). */
export class Attr {
  /** The kernel name, e.g. `linux` or `windows` (`${attr.kernel.name}`). */
  public static readonly kernelName = "${attr.kernel.name}";
  /** The kernel version (`${attr.kernel.version}`). */
  public static readonly kernelVersion = "${attr.kernel.version}";
  /** The operating system name, e.g. `ubuntu` (`${attr.os.name}`). */
  public static readonly os = "${attr.os.name}";
  /** The operating system version (`${attr.os.version}`). */
  public static readonly osVersion = "${attr.os.version}";
  /** The CPU architecture, e.g. `amd64` or `arm64` (`${attr.cpu.arch}`). */
  public static readonly arch = "${attr.cpu.arch}";
  /** The number of CPU cores (`${attr.cpu.numcores}`). */
  public static readonly cpuCores = "${attr.cpu.numcores}";
  /** The node's host name (`${attr.unique.hostname}`). */
  public static readonly hostname = "${attr.unique.hostname}";
  /** The node's IP address (`${attr.unique.network.ip-address}`). */
  public static readonly ipAddress = "${attr.unique.network.ip-address}";
  /** The Nomad version of the client (`${attr.nomad.version}`). */
  public static readonly nomadVersion = "${attr.nomad.version}";

  /** Whether a task driver is detected, e.g. `Attr.driver("docker")` is `${attr.driver.docker}`. */
  public static driver(name: string): string {
    return `\${attr.driver.${name}}`;
  }

  /** Any other attribute: `Attr.of("platform.aws.instance-type")` is `${attr.platform.aws.instance-type}`. */
  public static of(name: string): string {
    return `\${attr.${name}}`;
  }

  private constructor() {}
}

/** Properties of the node itself (`${node.*}`). */
export class Node {
  /** The node's datacenter (`${node.datacenter}`). */
  public static readonly datacenter = "${node.datacenter}";
  /** The node class set in the client configuration (`${node.class}`). */
  public static readonly class = "${node.class}";
  /** The node pool (`${node.pool}`). */
  public static readonly pool = "${node.pool}";
  /** The node's unique name (`${node.unique.name}`). */
  public static readonly uniqueName = "${node.unique.name}";
  /** The node's unique ID (`${node.unique.id}`). */
  public static readonly uniqueId = "${node.unique.id}";

  private constructor() {}
}

/** Client metadata set in the client configuration's `meta` block (`${meta.*}`). */
export class Meta {
  /** One metadata key: `Meta.of("rack")` is `${meta.rack}`. */
  public static of(key: string): string {
    return `\${meta.${key}}`;
  }

  private constructor() {}
}
