/**
 * `NomadJob`: one Nomad job as a Pulumi resource, through a dynamic provider
 * (provider/shell.ts → provider/handlers.ts → lib/plan).
 */
import * as pulumi from "@pulumi/pulumi";
import { isJobConstruct, toBareJob } from "./job-input";
import type { JobInput } from "./job-input";
import type { AllocationStatusCounts, NomadConnectionProps, NomadJobBehaviourProps } from "./props";
import { NOMAD_JOB_TYPE, OUTPUT_ONLY_KEYS } from "./props";
import { createNomadJobProvider } from "./shell";

/** Each connection setting as a Pulumi input. */
export type NomadConnectionArgs = { [K in keyof NomadConnectionProps]?: pulumi.Input<NonNullable<NomadConnectionProps[K]>> };

/** Each behaviour setting as a Pulumi input. */
export type NomadJobBehaviourArgs = { [K in keyof NomadJobBehaviourProps]?: pulumi.Input<NonNullable<NomadJobBehaviourProps[K]>> };

/** The arguments of a `NomadJob`. */
export interface NomadJobArgs extends NomadConnectionArgs, NomadJobBehaviourArgs {
  /**
   * The job: a drover DSL `Job` (rendered with `toJson()`), a register
   * request `{"Job": {...}}` or a bare job in Nomad's API JSON shape. Stored
   * bare and normalized (Nomad's defaults filled in) by the provider's check.
   */
  job: JobInput | pulumi.Input<Record<string, unknown>>;
}

/** The parts of a resource Pulumi keeps for building URNs (internal fields of @pulumi/pulumi's Resource). */
interface ResourceChain {
  __pulumiType?: string;
  __parentResource?: ResourceChain;
}

/**
 * The URN Pulumi gives a `NomadJob` named `name` under `parent`, computed as
 * the engine does (stack, project, the parents' types joined by `$`, the
 * name), synchronously so that it does not wait on the parent. Undefined when
 * the parent chain cannot be read.
 */
function urnOf(name: string, parent: pulumi.Resource | undefined): string | undefined {
  const types: string[] = [];
  // Fields @pulumi/pulumi's Resource keeps but does not declare: no overlap with its declared type.
  for (let p = parent as unknown as ResourceChain | undefined; p; p = p.__parentResource) {
    if (typeof p.__pulumiType !== "string") return undefined;
    if (p.__pulumiType === "pulumi:pulumi:Stack") break;
    types.unshift(p.__pulumiType);
  }
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${[...types, NOMAD_JOB_TYPE].join("$")}::${name}`;
}

/**
 * A Nomad job managed by Pulumi. Create registers it (and waits for its
 * deployment unless `detach`), update registers the new version enforcing
 * the index Pulumi last saw, delete stops it (or purges it with
 * `purgeOnDestroy`), refresh reads it back so that drift shows on the next
 * preview. Type token `pulumi-nodejs:dynamic/drover:NomadJob`; resource ID
 * `<job-id>@<namespace>`.
 */
export class NomadJob extends pulumi.dynamic.Resource {
  /** The job as stored: bare and normalized (after a refresh, as Nomad has it). */
  declare public readonly job: pulumi.Output<Record<string, unknown>>;
  /** The job's ID. */
  declare public readonly jobId: pulumi.Output<string>;
  /** The job's namespace. */
  declare public readonly namespace: pulumi.Output<string>;
  /** The region the job is stored in. */
  declare public readonly region: pulumi.Output<string>;
  /** The job's version (0 first, one more per change). */
  declare public readonly version: pulumi.Output<number>;
  /** The Raft index of the job's last registration; updates enforce it. */
  declare public readonly jobModifyIndex: pulumi.Output<number>;
  /** The job's status: "pending", "running" or "dead". */
  declare public readonly status: pulumi.Output<string>;
  /** The latest deployment's ID, or null. */
  declare public readonly deploymentId: pulumi.Output<string | null>;
  /** The latest deployment's status, or null. */
  declare public readonly deploymentStatus: pulumi.Output<string | null>;
  /** Counts of the allocations Nomad wants running, by client status. */
  declare public readonly allocations: pulumi.Output<AllocationStatusCounts>;
  /** True while the latest deployment's canaries are healthy and wait for a manual promotion (`drover job promote JOB`). */
  declare public readonly awaitingPromotion: pulumi.Output<boolean>;

  /** Declares a Nomad job named `name` in the Pulumi stack. */
  constructor(name: string, args: NomadJobArgs, opts: pulumi.CustomResourceOptions = {}) {
    // A DSL construct has circular references: render it here, never hand it to pulumi.output.
    const job = isJobConstruct(args.job)
      ? toBareJob(args.job)
      : pulumi.output(args.job as pulumi.Input<Record<string, unknown>>).apply((j) => toBareJob(j) as Record<string, unknown>);
    const props: pulumi.Inputs = {
      job,
      address: args.address,
      token: args.token === undefined ? undefined : pulumi.secret(args.token),
      region: args.region,
      namespace: args.namespace,
      caCert: args.caCert,
      clientCert: args.clientCert,
      clientKey: args.clientKey,
      tlsServerName: args.tlsServerName,
      skipVerify: args.skipVerify,
      detach: args.detach,
      purgeOnDestroy: args.purgeOnDestroy,
      stopChildren: args.stopChildren,
      preserveCounts: args.preserveCounts,
      rerunIfDead: args.rerunIfDead,
      // The provider logs its progress to the engine for this resource (the host does not tell it the URN).
      resourceUrn: urnOf(name, opts.parent),
      waitTimeout: args.waitTimeout,
      adopt: args.adopt,
      promote: args.promote,
      // Output-only properties must be present to become outputs.
      ...Object.fromEntries(OUTPUT_ONLY_KEYS.map((k) => [k, undefined])),
    };
    const secrets = [...(opts.additionalSecretOutputs ?? []), "token"];
    super(createNomadJobProvider(), name, props, { ...opts, additionalSecretOutputs: secrets }, "drover", "NomadJob");
  }
}
