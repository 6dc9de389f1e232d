import { block, JsonObject } from "./json";

/** The kind of volume a group requests. */
export type VolumeType = "host" | "csi";

/** The `volume` block of a group: a host or CSI volume the group's tasks may mount. */
export interface VolumeProps {
  /** The kind of volume. Nomad silently drops volumes of any other type. */
  readonly type: VolumeType;
  /** The host volume name (in the client configuration) or the CSI volume ID. @default the volume's name */
  readonly source?: string;
  /** Mount the volume read-only for every task. @default false */
  readonly readOnly?: boolean;
  /** Keep a replacement allocation on the same host volume (dynamic host volumes). @default false */
  readonly sticky?: boolean;
  /** CSI access mode, e.g. `"single-node-writer"` or `"multi-node-multi-writer"`. */
  readonly accessMode?: string;
  /** CSI attachment mode: `"file-system"` or `"block-device"`. */
  readonly attachmentMode?: string;
  /** CSI mount options. */
  readonly mountOptions?: { readonly fsType?: string; readonly mountFlags?: readonly string[] };
  /** Give each allocation its own volume, `<source>[<alloc index>]` (host or CSI; not for system or sysbatch jobs, nor with canaries). @default false */
  readonly perAlloc?: boolean;
}

/**
 * A volume requested by a group, returned by `group.addVolume(name, props)`.
 * Pass it to a task's `volumeMounts` instead of repeating its name.
 */
export class Volume {
  /** @internal */
  public constructor(
    /** The volume's name within the group. */
    public readonly name: string,
    /** The props it was declared with. */
    public readonly props: VolumeProps,
    /** The construct path of the group that declares it. */
    public readonly groupPath: string,
  ) {}

  /** Renders the volume as Nomad's `VolumeRequest`. */
  public render(): JsonObject {
    const p = this.props;
    return block({
      Name: this.name,
      Type: p.type,
      Source: p.source ?? this.name,
      ReadOnly: p.readOnly,
      Sticky: p.sticky,
      AccessMode: p.accessMode,
      AttachmentMode: p.attachmentMode,
      MountOptions: p.mountOptions
        ? block({ FSType: p.mountOptions.fsType, MountFlags: p.mountOptions.mountFlags ? [...p.mountOptions.mountFlags] : undefined })
        : undefined,
      PerAlloc: p.perAlloc,
    }) as JsonObject;
  }
}

/** The `volume_mount` block of a task: where a group volume appears in the task. */
export interface VolumeMountProps {
  /** The group volume to mount: the object `group.addVolume` returned, or its name. */
  readonly volume: Volume | string;
  /** The path inside the task. */
  readonly destination: string;
  /** Mount read-only. @default false */
  readonly readOnly?: boolean;
  /** Bind propagation. @default "private" */
  readonly propagationMode?: "private" | "host-to-task" | "bidirectional";
  /** The SELinux label of the mount, e.g. `"z"`. */
  readonly selinuxLabel?: string;
}

/** The name of the volume a mount refers to. */
export function mountedVolumeName(m: VolumeMountProps): string {
  return typeof m.volume === "string" ? m.volume : m.volume.name;
}

/** Renders a volume mount as Nomad's `VolumeMount`. */
export function renderVolumeMount(m: VolumeMountProps): JsonObject {
  return block({
    Volume: mountedVolumeName(m),
    Destination: m.destination,
    ReadOnly: m.readOnly,
    PropagationMode: m.propagationMode,
    SELinuxLabel: m.selinuxLabel,
  }) as JsonObject;
}
