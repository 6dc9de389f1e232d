/** `drover plan`: shows what applying the jobs would change, as `nomad job plan` does. */
import type { Command, CommandIO } from "../command";
import { parseCommandArgs } from "../args";
import { planAndRender } from "../render/plan";
import { planDocument, planJob } from "../../plan";
import type { DeletePlan, JobPlan } from "../../plan";
import type { NomadClient } from "../../api";
import type { ParsedArgs } from "../args";
import { UsageError } from "../command";
import { describeTarget, hasWork, resolveDestroyTargets } from "./destroy";
import { clientFromArgs, CONNECTION_OPTIONS, CONNECTION_USAGE, withDefaults } from "../connection";
import { HCL_VAR_OPTIONS, HCL_VAR_USAGE, hclInputsFromArgs, normalizeVarFlags } from "../hcl-vars";
import { loadJobs } from "../job-file";
import { reportError } from "../report-error";

const USAGE = `Usage: drover plan [options] FILE.json|FILE.nomad.hcl|DIR|PROGRAM.ts ...

Compares each job with the one running in Nomad and asks Nomad's scheduler
what it would do (placements, in-place and destructive updates, canaries,
placement failures). Nothing is changed. DIR means every .json file in it
(the output of \`drover synth\`); PROGRAM.ts is synthesized first, as
\`drover synth\` does.

Options:
  --detailed-exitcode  Exit 0 when nothing would change, 2 when something would,
                       1 on errors. Note that 2 is also the exit code of a usage
                       error (as with nomad job plan), so check the output too.
  --json               Print one JSON document instead of text: per job the action
                       (create, update, replace, no-op), the field changes with
                       their paths and raw old/new values, the scheduler's
                       annotations and placement failures, and the modify index
                       apply enforces. Its JSON Schema: drover schema --plan.
  --destroy            Plan what drover destroy would do with the same arguments
                       (job IDs, files, directories, programs; with --purge and
                       --keep-children as destroy takes them): with --json, one
                       "delete" entry per job it would stop.
  --preserve-counts    Plan as apply --preserve-counts registers: groups that exist
                       keep their current count.
  --rerun              Plan as apply --rerun: a finished batch job is run again.
${HCL_VAR_USAGE}
${CONNECTION_USAGE}

Exit codes: 0 success, 1 failure, 2 usage error or unreadable input.`;

/** `drover plan --destroy`: what `drover destroy` with the same arguments would stop, as text or (--json) as "delete" entries. */
async function planDestroy(client: NomadClient, args: ParsedArgs, io: CommandIO): Promise<number> {
  if (args.positionals.length === 0) throw new UsageError("expected at least one job ID, job file, directory or program");
  const purge = !!args.values.purge;
  const targets = (
    await resolveDestroyTargets(client, args.positionals, io, args, { purge, stopChildren: !args.values["keep-children"] })
  ).filter((t) => hasWork(t, purge));
  const deletes: DeletePlan[] = targets.map((t) => ({
    jobId: t.id,
    namespace: t.namespace,
    region: String(t.live?.Region ?? "global"),
    jobModifyIndex: t.live?.JobModifyIndex ?? 0,
    version: t.live?.Version ?? 0,
    warnings: [
      `${purge ? "purged" : "stopped"}: ${t.running.length} allocation${t.running.length === 1 ? "" : "s"} to stop`,
      ...t.children.map((c) => `child job "${c.ID}" is ${purge ? "purged" : "stopped"} with it`),
    ],
  }));
  if (args.values.json) io.out.write(JSON.stringify(planDocument([], deletes), null, 2) + "\n");
  else {
    for (const t of targets) io.out.write(describeTarget(t, purge).join("\n") + "\n");
    io.out.write(targets.length ? `\nPlan: ${targets.length} to ${purge ? "purge" : "stop"}.\n` : "No changes. Nothing to destroy.\n");
  }
  return args.values["detailed-exitcode"] && targets.length ? 2 : 0;
}

/** The `drover plan` command. */
export const command: Command = {
  name: "plan",
  summary: "Show what applying jobs would change in Nomad",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(normalizeVarFlags(argv), {
      ...CONNECTION_OPTIONS,
      ...HCL_VAR_OPTIONS,
      "detailed-exitcode": { type: "boolean" },
      json: { type: "boolean" },
      destroy: { type: "boolean" },
      purge: { type: "boolean" },
      "keep-children": { type: "boolean" },
      "preserve-counts": { type: "boolean" },
      rerun: { type: "boolean" },
    });
    let client;
    try {
      if (!args.values.destroy && (args.values.purge || args.values["keep-children"]))
        throw new UsageError("--purge and --keep-children plan a destroy: add --destroy");
      if (args.values.destroy && (args.values["preserve-counts"] || args.values.rerun))
        throw new UsageError("--preserve-counts and --rerun plan an apply, not --destroy");
      if (args.values.destroy) return await planDestroy((client = clientFromArgs(args, io)), args, io);
      const jobs = await loadJobs(args.positionals, io, hclInputsFromArgs(args, io));
      const connected = (client = clientFromArgs(args, io));
      const desired = jobs.map(({ job }) => withDefaults(job, connected));
      const opts = { preserveCounts: !!args.values["preserve-counts"], rerun: !!args.values.rerun };
      let plans: JobPlan[];
      if (args.values.json) {
        plans = [];
        for (const job of desired) plans.push(await planJob(connected, job, opts));
        io.out.write(JSON.stringify(planDocument(plans), null, 2) + "\n");
      } else {
        plans = await planAndRender(connected, desired, io.out, opts);
      }
      const changes = plans.some((p) => p.action !== "noop");
      return args.values["detailed-exitcode"] && changes ? 2 : 0;
    } catch (err) {
      return reportError(err, io, "plan");
    } finally {
      await client?.close();
    }
  },
};
