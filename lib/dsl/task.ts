import { Construct } from "constructs";
import { ArtifactProps, renderArtifact } from "./artifact";
import type { AffinityProps, ConstraintProps } from "./constraint";
import { ConsulProps, renderConsul } from "./consul";
import type { Driver } from "./driver";
import type { DurationInput } from "./duration";
import { IdentityProps, renderIdentity } from "./identity";
import { block, JsonObject, stringMap } from "./json";
import { LifecycleProps, renderLifecycle } from "./lifecycle";
import { LogsProps, renderLogs } from "./logs";
import { DispatchPayloadProps, renderDispatchPayload } from "./parameterized";
import { PlacedConstruct } from "./placement";
import { joinProp, PropLocation, RenderContext } from "./render-context";
import { renderResources, ResourcesProps } from "./resources";
import { renderRestart, RestartProps } from "./restart";
import { renderServices, Service, ServiceProps } from "./service";
import { ActionProps, CsiPluginProps, renderAction, renderCsiPlugin, renderSecret, SecretProps } from "./task-extras";
import { renderTemplate, TemplateProps } from "./template";
import { renderVault, VaultProps } from "./vault";
import { mountedVolumeName, renderVolumeMount, Volume, VolumeMountProps } from "./volume";

/** Props of a task (the `task` block): one process, container or VM run by a driver. */
export interface TaskProps {
  /** The driver and its configuration: `Driver.docker({ image: "redis:7" })`. */
  readonly driver: Driver;
  /** The user the task runs as. @default the driver's default (root for exec, the image's user for docker) */
  readonly user?: string;
  /** Environment variables; values may use `${…}` interpolation (`http.envAddr`, `Interp.meta("date")`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Task metadata, readable as `NOMAD_META_<key>` and merged over the group's and job's. */
  readonly meta?: Readonly<Record<string, string>>;
  /** CPU, memory and devices reserved for the task. @default cpu 100 MHz, memoryMB 300 */
  readonly resources?: ResourcesProps;
  /** How the task is restarted in place; merged over the group's. @default the group's */
  readonly restart?: RestartProps;
  /** Time between the kill signal and a forced kill. @default "5s" */
  readonly killTimeout?: DurationInput;
  /** The signal sent to stop the task. @default "SIGINT" (the driver's default) */
  readonly killSignal?: string;
  /** Delay between deregistering the task's services and killing it. @default "0s" */
  readonly shutdownDelay?: DurationInput;
  /** Log rotation of stdout and stderr. @default 10 files of 10 MB */
  readonly logs?: LogsProps;
  /** Files downloaded before the task starts. */
  readonly artifacts?: readonly ArtifactProps[];
  /** Files rendered by consul-template. */
  readonly templates?: readonly TemplateProps[];
  /** A Vault token for the task. */
  readonly vault?: VaultProps;
  /** Consul cluster, namespace and partition of the task. @default the group's */
  readonly consul?: ConsulProps;
  /** Makes the task an init (prestart), sidecar (poststart) or cleanup (poststop) task. @default a main task */
  readonly lifecycle?: LifecycleProps;
  /** Where the payload of a dispatch is written (parameterized jobs). */
  readonly dispatchPayload?: DispatchPayloadProps;
  /** Group volumes mounted into the task. */
  readonly volumeMounts?: readonly VolumeMountProps[];
  /** When this task exits, the other tasks of the group are stopped. @default false */
  readonly leader?: boolean;
  /** The task's default workload identity. */
  readonly identity?: IdentityProps;
  /** Additional named workload identities (Vault, Consul, other audiences). */
  readonly identities?: readonly IdentityProps[];
  /** Commands operators can run in the task with `nomad action`. */
  readonly actions?: readonly ActionProps[];
  /** Secrets fetched from a provider (Nomad variables, Vault) and exposed to the task. */
  readonly secrets?: readonly SecretProps[];
  /** Makes the task a CSI plugin. */
  readonly csiPlugin?: CsiPluginProps;
  /** Placement constraints on the task's node. */
  readonly constraints?: readonly ConstraintProps[];
  /** Placement preferences. */
  readonly affinities?: readonly AffinityProps[];
}

/** Implemented by groups: finds a group volume by name (for volume mount checks). */
interface VolumeScope {
  findVolume(name: string): Volume | undefined;
}

function isVolumeScope(x: unknown): x is VolumeScope {
  return typeof x === "object" && x !== null && typeof (x as VolumeScope).findVolume === "function";
}

/**
 * A task: the unit of work Nomad runs with a driver. Created in a group,
 * with `new Task(group, "server", {...})` or `group.addTask("server", {...})`.
 * The construct id is the task name.
 */
export class Task extends PlacedConstruct {
  private readonly props: TaskProps;
  private readonly env: Record<string, string>;
  private readonly templates: TemplateProps[];
  private readonly artifacts: ArtifactProps[];
  private readonly volumeMounts: VolumeMountProps[];

  /** Declares a task in a group. */
  constructor(scope: Construct, id: string, props: TaskProps) {
    super(scope, id, props);
    this.checkProps("TaskProps", props);
    if (props?.driver?.problems)
      this.recordPropProblems(props.driver.problems.map((p) => ({ prop: joinProp("driver", p.prop), message: p.message })));
    this.props = props;
    this.env = { ...(props.env ?? {}) };
    this.templates = [...(props.templates ?? [])];
    this.artifacts = [...(props.artifacts ?? [])];
    this.volumeMounts = [...(props.volumeMounts ?? [])];
  }

  /** The task name. */
  public get name(): string {
    return this.node.id;
  }

  /** Adds a task-level service (registered with the task's address). */
  public addService(id: string, props: ServiceProps = {}): Service {
    this.assertFreeId(id, "service");
    return new Service(this, id, props);
  }

  /** Sets an environment variable. */
  public addEnv(name: string, value: string): this {
    if (typeof value !== "string")
      this.recordPropProblems([
        { prop: joinProp("env", name), message: `expected a string (got ${value === null ? "null" : typeof value})` },
      ]);
    this.env[name] = value;
    return this;
  }

  /** Adds a template. */
  public addTemplate(t: TemplateProps): this {
    this.checkProps("TemplateProps", t, `templates[${this.templates.length}]`);
    this.templates.push(t);
    return this;
  }

  /** Adds an artifact. */
  public addArtifact(a: ArtifactProps): this {
    this.checkProps("ArtifactProps", a, `artifacts[${this.artifacts.length}]`);
    this.artifacts.push(a);
    return this;
  }

  /** Mounts a group volume into the task. */
  public addVolumeMount(m: VolumeMountProps): this {
    this.checkProps("VolumeMountProps", m, `volumeMounts[${this.volumeMounts.length}]`);
    this.volumeMounts.push(m);
    return this;
  }

  /** The task's services, in order. */
  public get services(): Service[] {
    return this.node.children.filter((c): c is Service => c instanceof Service);
  }

  /** Renders the task as Nomad's `Task`; `json` is its key in the job (`TaskGroups.0`), for error locations. */
  public render(ctx: RenderContext, json: string): JsonObject {
    ctx.source(json, this.node.path);
    const p = this.props;
    const constructPath = this.node.path;
    const at = (prop: string): PropLocation => ({ constructPath, prop });
    const group = this.node.scope;
    this.volumeMounts.forEach((m, i) => {
      const name = mountedVolumeName(m);
      if (isVolumeScope(group) && !group.findVolume(name))
        ctx.problem(
          at(joinProp(joinProp("volumeMounts", i), "volume")),
          `no volume "${name}" in group ${group.node.path} (declare it with group.addVolume("${name}", {...}))`,
        );
      else if (m.volume instanceof Volume && isVolumeScope(group) && group.findVolume(name) !== m.volume)
        ctx.problem(
          at(joinProp(joinProp("volumeMounts", i), "volume")),
          `volume "${name}" belongs to group ${m.volume.groupPath}, not to group ${group.node.path}`,
        );
    });
    const json_ =
      block({
        Name: this.name,
        Driver: p.driver.name,
        User: p.user,
        Lifecycle: renderLifecycle(p.lifecycle),
        Config: p.driver.renderConfig(this, ctx, at("driver")),
        ...this.renderPlacement(),
        Env: Object.keys(this.env).length || p.env ? stringMap(this.env) : undefined,
        Services: renderServices(this.services, ctx, json),
        Resources: renderResources(p.resources),
        RestartPolicy: renderRestart(p.restart, ctx, at("restart")),
        Meta: stringMap(p.meta),
        KillTimeout: ctx.duration(p.killTimeout, at(""), "killTimeout"),
        LogConfig: renderLogs(p.logs),
        Artifacts: this.artifacts.length ? this.artifacts.map(renderArtifact) : undefined,
        Vault: renderVault(p.vault),
        Templates: this.templates.length ? this.templates.map((t, i) => renderTemplate(t, ctx, at(joinProp("templates", i)))) : undefined,
        DispatchPayload: renderDispatchPayload(p.dispatchPayload),
        VolumeMounts: this.volumeMounts.length ? this.volumeMounts.map(renderVolumeMount) : undefined,
        CSIPluginConfig: renderCsiPlugin(p.csiPlugin, ctx, at("csiPlugin")),
        Leader: p.leader,
        ShutdownDelay: ctx.duration(p.shutdownDelay, at(""), "shutdownDelay"),
        KillSignal: p.killSignal,
        Consul: renderConsul(p.consul),
        Identity: renderIdentity(p.identity, ctx, at("identity")),
        Secrets: p.secrets?.map(renderSecret),
        Identities: p.identities?.map((id, i) => renderIdentity(id, ctx, at(joinProp("identities", i))) ?? {}),
        Actions: p.actions?.map(renderAction),
      }) ?? {};
    return this.applyPatches(json_, ctx);
  }
}
