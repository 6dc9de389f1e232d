/**
 * What jobspec2 does to a decoded job before handing it out
 * (`jobspec2/parse_job.go: normalizeJob`): ID and Name from the label,
 * SpecType for cron schedules, top-level tasks as groups of their own,
 * static ports moved to ReservedPorts, template and vault defaults, job
 * level vault and secrets given to every task, and the default workload
 * identity moved to Task.Identity.
 */
import type { Json } from "./decode";

const SECOND_NS = 1_000_000_000;

function list(v: unknown): Json[] {
  return Array.isArray(v) ? (v as Json[]) : [];
}

/** Static ports (`port "x" { static = N }`) go to ReservedPorts, the rest stay dynamic. */
export function normalizeNetworkPorts(networks: unknown): void {
  for (const n of list(networks)) {
    const dyn = list(n.DynamicPorts);
    if (!dyn.length) continue;
    const dynamic = dyn.filter((p) => !(typeof p.Value === "number" && p.Value > 0));
    const reserved = dyn.filter((p) => typeof p.Value === "number" && p.Value > 0);
    if (dynamic.length) n.DynamicPorts = dynamic;
    else delete n.DynamicPorts;
    if (reserved.length) n.ReservedPorts = [...list(n.ReservedPorts), ...reserved];
  }
}

function normalizeVault(v: unknown): void {
  if (!v || typeof v !== "object") return;
  const vault = v as Json;
  if (vault.Env === undefined) vault.Env = true;
  if (vault.DisableFile === undefined) vault.DisableFile = false;
  if (vault.ChangeMode === undefined) vault.ChangeMode = "restart";
}

function normalizeTemplates(templates: unknown): void {
  for (const t of list(templates)) {
    if (t.ChangeMode === undefined) t.ChangeMode = "restart";
    if (t.Perms === undefined) t.Perms = "0644";
    if (t.Splay === undefined) t.Splay = 5 * SECOND_NS;
    if (t.ErrMissingKey === undefined) t.ErrMissingKey = false;
    const cs = t.ChangeScript as Json | undefined;
    if (cs) {
      if (cs.Args === undefined) cs.Args = [];
      if (cs.Timeout === undefined) cs.Timeout = 5 * SECOND_NS;
      if (cs.FailOnError === undefined) cs.FailOnError = false;
      if (cs.RunOnFirstRender === undefined) cs.RunOnFirstRender = false;
    }
  }
}

/** The job-level extras of a job block: its label, top-level tasks, vault and secrets. */
export interface JobExtras {
  /** The job block's label. */
  jobId: string;
  /** `task` blocks directly in the job block. */
  tasks: Json[];
  /** A `vault` block directly in the job block. */
  vault?: Json;
  /** `secret` blocks directly in the job block. */
  secrets: Json[];
}

/** Applies jobspec2's normalizeJob to a decoded job, in place. */
export function normalizeJob(job: Json, extras: JobExtras): void {
  if (job.Name === undefined) job.Name = extras.jobId;
  if (job.ID === undefined) job.ID = extras.jobId;
  const periodic = job.Periodic as Json | undefined;
  if (periodic && (periodic.Spec !== undefined || periodic.Specs !== undefined)) periodic.SpecType = "cron";
  normalizeVault(extras.vault);
  if (extras.tasks.length) job.TaskGroups = [...extras.tasks.map((t) => ({ Name: t.Name, Tasks: [t] })), ...list(job.TaskGroups)];
  for (const tg of list(job.TaskGroups)) {
    normalizeNetworkPorts(tg.Networks);
    for (const t of list(tg.Tasks)) {
      const res = t.Resources as Json | undefined;
      if (res) normalizeNetworkPorts(res.Networks);
      normalizeTemplates(t.Templates);
      normalizeVault(t.Vault);
      if (t.Vault === undefined && extras.vault) t.Vault = structuredClone(extras.vault);
      if (extras.secrets.length) t.Secrets = [...list(t.Secrets), ...structuredClone(extras.secrets)];
      const ids = list(t.Identities);
      const i = ids.findIndex((w) => w.Name === undefined || w.Name === "" || w.Name === "default");
      if (i >= 0) {
        t.Identity = ids[i];
        ids.splice(i, 1);
        if (ids.length) t.Identities = ids;
        else delete t.Identities;
      }
    }
  }
}
