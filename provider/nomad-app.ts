/** `NomadApp`: a drover `App` as a Pulumi component, one `NomadJob` per job. */
import * as pulumi from "@pulumi/pulumi";
import type { App } from "../lib/dsl";
import { NomadJob } from "./nomad-job";
import type { NomadConnectionArgs, NomadJobBehaviourArgs } from "./nomad-job";
import { NOMAD_APP_TYPE } from "./props";

/** The arguments of a `NomadApp`: the app, and settings shared by every job. */
export interface NomadAppArgs extends NomadConnectionArgs, NomadJobBehaviourArgs {
  /** The drover program's `App`; its jobs are validated (`App.synthJobs()`) when the component is created. */
  app: App;
  /** Settings for single jobs, by job ID, over the shared ones. */
  jobSettings?: Record<string, NomadConnectionArgs & NomadJobBehaviourArgs>;
}

/**
 * A drover `App` deployed to Nomad: one `NomadJob` child per job, named
 * `<component name>-<job id>`, sharing the connection and behaviour
 * settings. Type token `drover:index:NomadApp`.
 */
export class NomadApp extends pulumi.ComponentResource {
  /** The jobs, by job ID. */
  public readonly jobs: Record<string, NomadJob>;
  /** The job IDs, in the app's order. */
  public readonly jobIds: string[];

  /** Declares the app's jobs in the Pulumi stack. Throws the DSL's `SynthesisError` (every problem with its construct path) when a job is invalid. */
  constructor(name: string, args: NomadAppArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(NOMAD_APP_TYPE, name, {}, opts);
    const { app, jobSettings, ...shared } = args;
    this.jobs = {};
    this.jobIds = [];
    for (const synthesized of app.synthJobs()) {
      const own = jobSettings?.[synthesized.id] ?? {};
      this.jobs[synthesized.id] = new NomadJob(`${name}-${synthesized.id}`, { ...shared, ...own, job: synthesized.json }, { parent: this });
      this.jobIds.push(synthesized.id);
    }
    this.registerOutputs({ jobIds: this.jobIds });
  }
}
