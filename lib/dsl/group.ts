import { Construct } from "constructs";
import type { AffinityProps, ConstraintProps, SpreadProps } from "./constraint";
import { ConsulProps, renderConsul } from "./consul";
import { DisconnectProps, renderDisconnect } from "./disconnect";
import type { DurationInput } from "./duration";
import { EphemeralDiskProps, renderEphemeralDisk } from "./ephemeral-disk";
import { block, JsonObject, stringMap } from "./json";
import { MigrateProps, renderMigrate } from "./migrate";
import { Network, NetworkProps } from "./network";
import type { Port, PortOptions } from "./port";
import { SpreadConstruct } from "./placement";
import { PropLocation, RenderContext } from "./render-context";
import { renderReschedule, RescheduleProps } from "./reschedule";
import { renderRestart, RestartProps } from "./restart";
import { renderScaling, ScalingProps } from "./scaling";
import { renderServices, Service, ServiceProps } from "./service";
import { Task, TaskProps } from "./task";
import { renderUpdate, UpdateProps } from "./update";
import { Volume, VolumeProps } from "./volume";

/** A port declared with `group.addPort`: dynamic unless `static` is set. */
export interface GroupPortProps extends PortOptions {
  /** A fixed host port; omit for a port Nomad picks. */
  readonly static?: number;
}

/** Props of a task group (the `group` block): tasks placed together on one node. */
export interface GroupProps {
  /** How many allocations of the group run. @default 1 (or `scaling.min`) */
  readonly count?: number;
  /** The group network's mode, host name and DNS; ports are added with `group.network.addDynamicPort()`. @default host mode */
  readonly network?: NetworkProps;
  /** Placement constraints. */
  readonly constraints?: readonly ConstraintProps[];
  /** Placement preferences. */
  readonly affinities?: readonly AffinityProps[];
  /** Spread of the allocations over node attributes. */
  readonly spreads?: readonly SpreadProps[];
  /** In-place restarts of failed tasks. @default by job type (see `RestartProps`) */
  readonly restart?: RestartProps;
  /** Replacement of failed allocations on other nodes. @default by job type (see `RescheduleProps`) */
  readonly reschedule?: RescheduleProps;
  /** Migration off draining nodes (service jobs). @default max parallel 1, health from checks */
  readonly migrate?: MigrateProps;
  /** Rolling update strategy for this group, over the job's. @default the job's */
  readonly update?: UpdateProps;
  /** The allocation's scratch disk. @default 300 MB, not sticky */
  readonly ephemeralDisk?: EphemeralDiskProps;
  /** Group metadata, merged over the job's. */
  readonly meta?: Readonly<Record<string, string>>;
  /** Delay between deregistering the group's services and stopping its tasks. @default "0s" */
  readonly shutdownDelay?: DurationInput;
  /** Longest time an allocation may run before it is stopped (batch and sysbatch jobs). @default unlimited */
  readonly maxRunDuration?: DurationInput;
  /** Bounds for scaling the count. */
  readonly scaling?: ScalingProps;
  /** Consul cluster, namespace and partition of the group. */
  readonly consul?: ConsulProps;
  /** Behaviour when the node loses contact with the servers. */
  readonly disconnect?: DisconnectProps;
  /** Host and CSI volumes, by name; mount them in tasks. Also see `addVolume`. */
  readonly volumes?: Readonly<Record<string, VolumeProps>>;
}

/**
 * A task group: the unit of placement. Its tasks always run together on one
 * node, share its network and volumes. The construct id is the group name.
 */
export class Group extends SpreadConstruct {
  /** The group's network: add ports here (`group.network.addDynamicPort("http", { to: 8000 })`). */
  public readonly network: Network;
  private readonly props: GroupProps;
  private readonly volumes: Volume[] = [];

  /** Declares a group in a job. */
  constructor(scope: Construct, id: string, props: GroupProps = {}) {
    super(scope, id, props);
    this.checkProps("GroupProps", props);
    this.props = props;
    this.network = new Network(this, "network", props.network);
    for (const [name, v] of Object.entries(props.volumes ?? {})) this.declareVolume(name, v);
  }

  /** The group name. */
  public get name(): string {
    return this.node.id;
  }

  /** Adds a task. */
  public addTask(id: string, props: TaskProps): Task {
    this.assertFreeId(id, "task");
    return new Task(this, id, props);
  }

  /** Adds a group-level service. */
  public addService(id: string, props: ServiceProps = {}): Service {
    this.assertFreeId(id, "service");
    return new Service(this, id, props);
  }

  /** Adds a port to the group's network: dynamic, or static when `static` is set. */
  public addPort(label: string, props: GroupPortProps = {}): Port {
    this.checkProps("GroupPortProps", props, `ports.${label}`);
    const { static: value, ...options } = props;
    return this.network.declarePort(label, value === undefined ? "dynamic" : "static", value, options);
  }

  /** Requests a host or CSI volume for the group; mount it in a task with `volumeMounts: [{ volume, destination }]`. */
  public addVolume(name: string, props: VolumeProps): Volume {
    this.checkProps("VolumeProps", props, `volumes.${name}`);
    return this.declareVolume(name, props);
  }

  private declareVolume(name: string, props: VolumeProps): Volume {
    if (this.findVolume(name)) throw new Error(`${this.node.path}: volume "${name}" is already declared in this group`);
    const v = new Volume(name, props, this.node.path);
    this.volumes.push(v);
    return v;
  }

  /** Finds a group volume by name. */
  public findVolume(name: string): Volume | undefined {
    return this.volumes.find((v) => v.name === name);
  }

  /** The group's tasks, in order. */
  public get tasks(): Task[] {
    return this.node.children.filter((c): c is Task => c instanceof Task);
  }

  /** The group's own services (not its tasks'), in order. */
  public get services(): Service[] {
    return this.node.children.filter((c): c is Service => c instanceof Service);
  }

  /** Renders the group as Nomad's `TaskGroup`; `json` is its key in the job (`TaskGroups.0`), for error locations. */
  public render(ctx: RenderContext, json: string): JsonObject {
    ctx.source(json, this.node.path);
    const p = this.props;
    const constructPath = this.node.path;
    const at = (prop: string): PropLocation => ({ constructPath, prop });
    const tasks = this.tasks;
    let networks: JsonObject[] | undefined;
    if (!this.network.isEmpty) {
      ctx.source(RenderContext.childKey(json, "Networks", 0), this.network.node.path);
      networks = [this.network.render(ctx)];
    }
    const volumes: JsonObject = {};
    for (const v of this.volumes) volumes[v.name] = v.render();
    const out =
      block({
        Name: this.name,
        Count: p.count,
        ...this.renderPlacement(),
        Tasks: tasks.map((t, i) => t.render(ctx, RenderContext.childKey(json, "Tasks", i))),
        Volumes: this.volumes.length ? volumes : undefined,
        RestartPolicy: renderRestart(p.restart, ctx, at("restart")),
        Disconnect: renderDisconnect(p.disconnect, ctx, at("disconnect")),
        ReschedulePolicy: renderReschedule(p.reschedule, ctx, at("reschedule")),
        EphemeralDisk: renderEphemeralDisk(p.ephemeralDisk),
        Update: renderUpdate(p.update, ctx, at("update")),
        Migrate: renderMigrate(p.migrate, ctx, at("migrate")),
        Networks: networks,
        Meta: stringMap(p.meta),
        Services: renderServices(this.services, ctx, json),
        ShutdownDelay: ctx.duration(p.shutdownDelay, at(""), "shutdownDelay"),
        MaxRunDuration: ctx.duration(p.maxRunDuration, at(""), "maxRunDuration"),
        Scaling: renderScaling(p.scaling),
        Consul: renderConsul(p.consul),
      }) ?? {};
    return this.applyPatches(out, ctx);
  }
}
