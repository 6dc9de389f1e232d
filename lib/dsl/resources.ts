import { AffinityProps, ConstraintProps, renderAffinity, renderConstraint } from "./constraint";
import { block, JsonObject } from "./json";

/** A device a task asks for (GPUs, FPGAs), by device name and count. */
export interface DeviceProps {
  /** `<vendor>/<type>/<model>`, `<vendor>/<type>` or `<type>`, e.g. `"nvidia/gpu"`. */
  readonly name: string;
  /** How many instances. @default 1 */
  readonly count?: number;
  /** Constraints on the device's attributes (`${device.attr.memory}`). */
  readonly constraints?: readonly ConstraintProps[];
  /** Preferences among the devices. */
  readonly affinities?: readonly AffinityProps[];
}

/** The `resources` block of a task: what the scheduler reserves for it on the node. */
export interface ResourcesProps {
  /** CPU to reserve, in MHz. Set this or `cores`. @default 100 */
  readonly cpu?: number;
  /** Whole CPU cores to reserve exclusively. Set this or `cpu`. */
  readonly cores?: number;
  /** Memory to reserve, in MB; the task is limited to it unless `memoryMaxMB` is set. @default 300 */
  readonly memoryMB?: number;
  /** Memory the task may use beyond its reservation when the node has it free (oversubscription), in MB. */
  readonly memoryMaxMB?: number;
  /** Size of the in-memory `secrets/` directory, in MB. @default 1 */
  readonly secretsMB?: number;
  /** Devices to reserve. */
  readonly devices?: readonly DeviceProps[];
  /** NUMA placement of the cores (Nomad Enterprise). */
  readonly numa?: { readonly affinity: "none" | "prefer" | "require"; readonly devices?: readonly string[] };
}

/** Renders the resources block as Nomad's `Resources`. */
export function renderResources(r: ResourcesProps | undefined): JsonObject | undefined {
  if (r === undefined) return undefined;
  return (
    block({
      CPU: r.cpu,
      Cores: r.cores,
      MemoryMB: r.memoryMB,
      MemoryMaxMB: r.memoryMaxMB,
      SecretsMB: r.secretsMB,
      Devices: r.devices?.map(
        (d) =>
          block({
            Name: d.name,
            Count: d.count,
            Constraints: d.constraints?.map(renderConstraint),
            Affinities: d.affinities?.map(renderAffinity),
          }) as JsonObject,
      ),
      NUMA: r.numa ? block({ Affinity: r.numa.affinity, Devices: r.numa.devices ? [...r.numa.devices] : undefined }) : undefined,
    }) ?? {}
  );
}
