import { Construct } from "constructs";
import { orderJobKeys } from "../jobspec";
import type { Job as JobJson } from "../jobspec/types";
import type { AffinityProps, ConstraintProps, SpreadProps } from "./constraint";
import { Group, GroupProps } from "./group";
import { block, JsonObject, stringMap } from "./json";
import { MigrateProps, renderMigrate } from "./migrate";
import { MultiregionProps, renderMultiregion } from "./multiregion";
import { ParameterizedProps, renderParameterized } from "./parameterized";
import { PeriodicProps, renderPeriodic } from "./periodic";
import { SpreadConstruct } from "./placement";
import { PropLocation, RenderContext } from "./render-context";
import { renderReschedule, RescheduleProps } from "./reschedule";
import { renderUi, UiProps } from "./ui";
import { renderUpdate, UpdateProps } from "./update";

/** The scheduler a job uses. */
export type JobType = "service" | "batch" | "system" | "sysbatch";

/** Props of a job (the `job` block). */
export interface JobProps {
  /** The job ID, unique in its namespace and region. @default the construct id */
  readonly id?: string;
  /** A display name. @default the job ID */
  readonly name?: string;
  /** The scheduler: long-running services, run-to-completion batch, or one per node (system, sysbatch). @default "service" */
  readonly type?: JobType;
  /** The region the job runs in. @default "global" (the agent's region) */
  readonly region?: string;
  /** The namespace of the job. @default "default" */
  readonly namespace?: string;
  /** Datacenters eligible for placement; glob patterns allowed. @default ["*"] */
  readonly datacenters?: readonly string[];
  /** The node pool eligible for placement. @default "default" */
  readonly nodePool?: string;
  /** Scheduling priority, 1 to 100; higher may preempt lower. @default 50 */
  readonly priority?: number;
  /** Place every allocation at once or none (instead of incrementally). @default false */
  readonly allAtOnce?: boolean;
  /** Job metadata, readable in tasks as `NOMAD_META_<key>`. */
  readonly meta?: Readonly<Record<string, string>>;
  /** Placement constraints for every group. */
  readonly constraints?: readonly ConstraintProps[];
  /** Placement preferences for every group (not for system jobs). */
  readonly affinities?: readonly AffinityProps[];
  /** Spreads for every group (not for system jobs). */
  readonly spreads?: readonly SpreadProps[];
  /** The rolling update strategy of every group. @default no deployments unless a group sets one */
  readonly update?: UpdateProps;
  /** Deploy to several regions (Nomad Enterprise). */
  readonly multiregion?: MultiregionProps;
  /** Run on a cron schedule (batch jobs). */
  readonly periodic?: PeriodicProps;
  /** Make the job a template run by dispatch. */
  readonly parameterized?: ParameterizedProps;
  /** The reschedule policy of every group. @default by job type */
  readonly reschedule?: RescheduleProps;
  /** The migrate strategy of every group (service jobs). */
  readonly migrate?: MigrateProps;
  /** Description and links shown in the Nomad UI. */
  readonly ui?: UiProps;
  /** The Consul namespace of the groups that use Consul (Consul Enterprise). */
  readonly consulNamespace?: string;
  /** The Vault namespace of the tasks that use Vault (Vault Enterprise). */
  readonly vaultNamespace?: string;
}

/**
 * A Nomad job: what `App.synth()` writes to `<outdir>/<id>.json` and what is
 * submitted to Nomad. The construct id is the job ID unless `id` is set.
 *
 * @example
 * const job = new Job(app, "redis", { datacenters: ["dc1"] });
 * const cache = job.addGroup("cache");
 */
export class Job extends SpreadConstruct {
  /** The job ID. */
  public readonly id: string;
  private readonly props: JobProps;

  /** Declares a job in an app. */
  constructor(scope: Construct, id: string, props: JobProps = {}) {
    super(scope, id, props);
    this.checkProps("JobProps", props);
    this.props = props;
    this.id = props.id ?? id;
  }

  /** The job type as set. @default "service" */
  public get type(): JobType {
    return this.props.type ?? "service";
  }

  /** Adds a task group. */
  public addGroup(id: string, props: GroupProps = {}): Group {
    this.assertFreeId(id, "group");
    return new Group(this, id, props);
  }

  /** Adds a placement constraint for every group. */
  public override addConstraint(c: ConstraintProps): this {
    return super.addConstraint(c);
  }

  /** Adds a placement preference for every group. */
  public override addAffinity(a: AffinityProps): this {
    return super.addAffinity(a);
  }

  /** Adds a spread for every group. */
  public override addSpread(s: SpreadProps): this {
    return super.addSpread(s);
  }

  /** The job's groups, in order. */
  public get groups(): Group[] {
    return this.node.children.filter((c): c is Group => c instanceof Group);
  }

  /**
   * The job as Nomad's API takes it, `{"Job": {...}}`, with only what was set
   * (Nomad fills its defaults) and the overrides applied, keys in Nomad's
   * order as in the synthesized file. Not validated: use
   * `App.synth()` or `Testing.synth(job)` for that.
   */
  public toJson(): { Job: JsonObject } {
    // The same object under two types: jobspec's Job (optional fields) and the DSL's JSON (no undefined), which do not overlap.
    return { Job: orderJobKeys(this.render(new RenderContext()) as JobJson) as unknown as JsonObject };
  }

  /** Renders the job into `ctx`, recording problems and the source map. */
  public render(ctx: RenderContext): JsonObject {
    ctx.source("", this.node.path);
    const p = this.props;
    const constructPath = this.node.path;
    const at = (prop: string): PropLocation => ({ constructPath, prop });
    const groups = this.groups;
    const json =
      block({
        Region: p.region,
        Namespace: p.namespace,
        ID: this.id,
        Name: p.name,
        Type: p.type,
        Priority: p.priority,
        AllAtOnce: p.allAtOnce,
        Datacenters: p.datacenters ? [...p.datacenters] : undefined,
        NodePool: p.nodePool,
        ...this.renderPlacement(),
        TaskGroups: groups.map((g, i) => g.render(ctx, RenderContext.childKey("", "TaskGroups", i))),
        Update: renderUpdate(p.update, ctx, at("update")),
        Multiregion: renderMultiregion(p.multiregion),
        Periodic: renderPeriodic(p.periodic),
        ParameterizedJob: renderParameterized(p.parameterized),
        Reschedule: renderReschedule(p.reschedule, ctx, at("reschedule")),
        Migrate: renderMigrate(p.migrate, ctx, at("migrate")),
        Meta: stringMap(p.meta),
        UI: renderUi(p.ui),
        ConsulNamespace: p.consulNamespace,
        VaultNamespace: p.vaultNamespace,
      }) ?? {};
    return this.applyPatches(json, ctx);
  }
}
