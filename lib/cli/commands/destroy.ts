/**
 * `drover destroy`: stops (or purges) jobs in Nomad. Takes what `drover plan`
 * and `drover apply` take (a program, a directory of job files, job files)
 * and job IDs, shows what it will stop, asks, then deregisters each job and
 * follows it until its allocations are stopped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import type { AllocationListStub, JobListStub, NomadClient, ReadBackJob } from "../../api";
import { isAllocClientTerminal } from "../../api";
import { destroyJob, listChildren, readLiveJob, requestRegion } from "../../plan";
import { ProgressRenderer } from "../render/progress";
import { FollowUp, interruptible, INTERRUPTED_EXIT_CODE } from "../render/interrupt";
import { clientFromArgs, CONNECTION_OPTIONS, CONNECTION_USAGE, withDefaults } from "../connection";
import { confirm } from "../prompt";
import { HCL_VAR_OPTIONS, HCL_VAR_USAGE, hclInputsFromArgs, normalizeVarFlags } from "../hcl-vars";
import { JobInputError, loadJobs } from "../job-file";
import { parseTimeout } from "../duration";
import { reportError } from "../report-error";

const USAGE = `Usage: drover destroy [options] JOB|FILE.json|FILE.nomad.hcl|DIR|PROGRAM.ts ...

Deregisters jobs: each argument is a job ID, or what drover plan and apply
take (a job file, a directory of .json job files, a drover program, which is
synthesized first); several may be given. Shows what will be stopped, asks
for confirmation, then deregisters each job and follows it until all its
allocations are stopped (their tasks killed, within their kill timeout).
A job stays visible as stopped (as nomad job stop does) unless --purge removes
it and its history; its allocations and evaluations are then garbage-collected
once terminal.

The running children of a periodic or parameterized job (its periodic
launches and dispatched jobs) are stopped with it, and purged with it under
--purge; Nomad itself would leave them running. --keep-children leaves them.

Options:
  --purge            Remove the jobs from Nomad's state entirely.
  --keep-children    Leave the children of periodic and parameterized jobs running.
  --yes, -y          Do not ask for confirmation. Required when not on a terminal.
  --detach           Return once the jobs are deregistered; do not wait for their
                     allocations to stop.
  --timeout DUR      How long to wait for each job's allocations to stop (default 5m).
${HCL_VAR_USAGE}
${CONNECTION_USAGE}

Ctrl-C while waiting stops the wait, not the deregistration: drover says what
was deregistered and exits 130.

Exit codes: 0 destroyed (or nothing to do), 1 failure, not confirmed, or an
argument that is neither a job nor a readable path, 2 usage error or
unreadable input, 130 interrupted.`;

/** One job to destroy, with what runs of it now. */
interface DestroyTarget {
  /** Job ID. */
  id: string;
  /** Namespace. */
  namespace: string;
  /** Region for requests (undefined: the agent's). */
  region: string | undefined;
  /** Where it came from: the argument, or the file that defines it. */
  source: string;
  /** The job as Nomad has it, or null when it is not there. */
  live: ReadBackJob | null;
  /** Its allocations still running or pending. */
  running: AllocationListStub[];
  /** Its children that are not stopped (or all, to purge). */
  children: JobListStub[];
}

/** Splits the arguments into paths to load and job IDs; an argument that is neither fails with exit 1. */
async function resolveTargets(
  client: NomadClient,
  positionals: string[],
  io: CommandIO,
  args: ReturnType<typeof parseCommandArgs>,
): Promise<DestroyTarget[]> {
  const namespace = client.config.namespace ?? "default";
  const paths: string[] = [];
  const targets: DestroyTarget[] = [];
  const base = (id: string, ns: string, region: string | undefined, source: string, live: ReadBackJob | null): DestroyTarget => ({
    id,
    namespace: ns,
    region,
    source,
    live,
    running: [],
    children: [],
  });
  for (const arg of positionals) {
    if (fs.existsSync(path.resolve(io.cwd, arg))) {
      paths.push(arg);
      continue;
    }
    const live = await readLiveJob(client, { id: arg, namespace, region: client.config.region });
    if (!live) {
      throw new JobInputError(`${arg}: neither a job in namespace "${namespace}" nor a readable file or directory`, 1);
    }
    targets.push(base(arg, namespace, client.config.region, arg, live));
  }
  if (paths.length) {
    for (const loaded of await loadJobs(paths, io, hclInputsFromArgs(args, io))) {
      // A validated job always has its ID (lib/jobspec refuses one without); only the ID, namespace and region are read.
      const job = withDefaults(loaded.job, client) as unknown as { ID: string; Namespace?: string | null; Region?: string | null };
      const ns = job.Namespace || "default";
      const region = requestRegion(job.Region);
      targets.push(base(job.ID, ns, region, loaded.file, await readLiveJob(client, { id: job.ID, namespace: ns, region })));
    }
  }
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.namespace}\u0000${t.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The jobs the arguments name (job IDs, files, directories, programs), each
 * with its running allocations and the children destroy would stop with it.
 * Fails (exit 1) on an argument that is neither a job nor a readable path.
 */
export async function resolveDestroyTargets(
  client: NomadClient,
  positionals: string[],
  io: CommandIO,
  args: ReturnType<typeof parseCommandArgs>,
  opts: { purge: boolean; stopChildren: boolean },
): Promise<DestroyTarget[]> {
  const targets = await resolveTargets(client, positionals, io, args);
  for (const t of targets) {
    if (!t.live) continue;
    const scope = { namespace: t.namespace, region: t.region };
    t.running = ((await client.jobs.allocations(t.id, { ...scope, all: true })).data ?? []).filter(
      (a) => !isAllocClientTerminal(a.ClientStatus),
    );
    if (opts.stopChildren) t.children = (await listChildren(client, t.id, scope)).filter((c) => opts.purge || !c.Stop);
  }
  return targets;
}

/** True when destroying the target changes something (it exists, and is not already stopped with nothing left running). */
export function hasWork(t: DestroyTarget, purge: boolean): boolean {
  return !!t.live && (purge || !t.live.Stop || t.running.length > 0 || t.children.length > 0);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** What destroy will do to one job, as lines. */
export function describeTarget(t: DestroyTarget, purge: boolean): string[] {
  const ns = t.namespace !== "default" ? ` (namespace "${t.namespace}")` : "";
  if (!t.live) return [`  Job: "${t.id}"${ns} is not in Nomad (from ${t.source}); nothing to do`];
  const verb = purge ? "purge" : t.live.Stop ? "already stopped" : "stop";
  const what = [
    String(t.live.Type ?? "service"),
    t.running.length ? `${plural(t.running.length, "allocation")} running` : "no allocation running",
  ];
  const lines = [`- Job: "${t.id}"${ns} (${what.join(", ")}): ${verb}`];
  for (const c of t.children) lines.push(`  - Child job: "${c.ID}" (${c.Status}): ${purge ? "purge" : "stop"}`);
  return lines;
}

/** The `drover destroy` command. */
export const command: Command = {
  name: "destroy",
  summary: "Stop (or purge) jobs in Nomad and wait until their allocations are stopped",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(normalizeVarFlags(argv), {
      ...CONNECTION_OPTIONS,
      ...HCL_VAR_OPTIONS,
      purge: { type: "boolean" },
      "keep-children": { type: "boolean" },
      yes: { type: "boolean", short: "y" },
      detach: { type: "boolean" },
      timeout: { type: "string" },
    });
    if (args.positionals.length === 0) throw new UsageError("expected at least one job ID, job file, directory or program");
    const purge = !!args.values.purge;
    const stopChildren = !args.values["keep-children"];
    const timeoutMs = typeof args.values.timeout === "string" ? parseTimeout(args.values.timeout, "--timeout") : 300_000;
    let client: NomadClient | undefined;
    const interrupt = interruptible(io);
    const followUp = new FollowUp();
    try {
      const connected = (client = clientFromArgs(args, io));
      const targets = await resolveDestroyTargets(connected, args.positionals, io, args, { purge, stopChildren });
      for (const t of targets) io.out.write(describeTarget(t, purge).join("\n") + "\n");
      const todo = targets.filter((t) => hasWork(t, purge));
      if (!todo.length) {
        io.out.write("\nNothing to destroy.\n");
        return 0;
      }
      io.out.write(
        `\nDestroy: ${plural(todo.length, "job")} to ${purge ? "purge" : "stop"}${
          todo.some((t) => t.children.length)
            ? `, with ${plural(
                todo.reduce((n, t) => n + t.children.length, 0),
                "child job",
              )}`
            : ""
        }.\n`,
      );
      if (!args.values.yes) {
        if (!io.isTTY) {
          io.err.write(
            "drover destroy: not destroying: there is no terminal to ask for confirmation on; pass --yes to destroy without asking\n",
          );
          return 1;
        }
        if (!(await confirm(io, `\n${purge ? "Purge" : "Stop"} ${plural(todo.length, "job")}?`))) {
          io.err.write("drover destroy: cancelled, nothing was changed\n");
          return 1;
        }
      }
      const progress = new ProgressRenderer(io.out, io.isTTY);
      const onProgress = (e: Parameters<typeof progress.handle>[0]) => {
        followUp.handle(e);
        progress.handle(e);
      };
      let failures = 0;
      for (const t of todo) {
        if (interrupt.interrupted) break;
        try {
          await destroyJob(connected, t.id, {
            purge,
            namespace: t.namespace,
            region: t.region,
            stopChildren,
            detach: !!args.values.detach,
            timeoutMs,
            onProgress,
            signal: interrupt.signal,
          });
        } catch (err) {
          if (interrupt.interrupted) break;
          failures++;
          reportError(err, io, "destroy");
        }
      }
      if (interrupt.interrupted) {
        io.err.write(followUp.report("destroy"));
        return INTERRUPTED_EXIT_CODE;
      }
      io.out.write(failures ? `\n${failures} of ${todo.length} jobs failed.\n` : `\nDestroyed ${plural(todo.length, "job")}.\n`);
      return failures ? 1 : 0;
    } catch (err) {
      if (interrupt.interrupted) {
        io.err.write(followUp.report("destroy"));
        return INTERRUPTED_EXIT_CODE;
      }
      return reportError(err, io, "destroy");
    } finally {
      interrupt.release();
      await client?.close();
    }
  },
};
