/** `drover apply`: plans, asks, registers the jobs and follows their rollout. */
import type { Command, CommandIO } from "../command";
import { parseCommandArgs } from "../args";
import { applyJob } from "../../plan";
import { planAndRender } from "../render/plan";
import { ProgressRenderer } from "../render/progress";
import { FollowUp, interruptible, INTERRUPTED_EXIT_CODE } from "../render/interrupt";
import type { ApplyProgressEvent } from "../../plan";
import { clientFromArgs, CONNECTION_OPTIONS, CONNECTION_USAGE, withDefaults } from "../connection";
import { confirm } from "../prompt";
import { HCL_VAR_OPTIONS, HCL_VAR_USAGE, hclInputsFromArgs, normalizeVarFlags } from "../hcl-vars";
import { loadJobs } from "../job-file";
import { parseTimeout } from "../duration";
import { reportError } from "../report-error";

const USAGE = `Usage: drover apply [options] FILE.json|FILE.nomad.hcl|DIR|PROGRAM.ts ...

Plans every job (as drover plan), shows the plan, asks for confirmation, then
registers each changed job with Nomad (refusing if someone changed it since the
plan) and follows its evaluation and deployment until it is healthy.

Options:
  --yes, -y          Apply without asking. Required when not on a terminal.
  --detach           Return once each evaluation is done; do not wait for deployments.
  --promote          Promote a deployment's canaries as soon as they are healthy and
                     follow the rest of the rollout. Without it, apply stops when the
                     canaries are healthy and a group needs a manual promotion
                     (auto_promote false), and says how to promote them
                     (\`drover job promote JOB\`); groups that auto-promote are followed.
  --timeout DUR      How long to wait for each job to come up (default 10m).
  --preserve-counts  Keep the current count of every group that exists already (set by
                     an autoscaler or drover job scale): registered with Nomad's
                     PreserveCounts; the plan shows those counts as kept.
  --rerun            Run a batch job that has finished again although its spec is
                     unchanged (it is purged and registered anew). Without it, a
                     finished batch job with the same spec is left alone (run once).
${HCL_VAR_USAGE}
${CONNECTION_USAGE}

Ctrl-C (or SIGTERM) while following ends the wait, not the change: drover says
which jobs were registered, which evaluation and deployment go on in Nomad and
how to follow them (drover deployment status ID), and exits 130.

Exit codes: 0 applied (or nothing to do), 1 failure or not confirmed, 2 usage error or unreadable input, 130 interrupted.`;

/** The `drover apply` command. */
export const command: Command = {
  name: "apply",
  summary: "Register jobs with Nomad and follow their deployments",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(normalizeVarFlags(argv), {
      ...CONNECTION_OPTIONS,
      ...HCL_VAR_OPTIONS,
      "preserve-counts": { type: "boolean" },
      rerun: { type: "boolean" },
      yes: { type: "boolean", short: "y" },
      detach: { type: "boolean" },
      promote: { type: "boolean" },
      timeout: { type: "string" },
    });
    const timeoutMs = typeof args.values.timeout === "string" ? parseTimeout(args.values.timeout, "--timeout") : 600_000;
    let client;
    const interrupt = interruptible(io);
    const followUp = new FollowUp();
    try {
      const jobs = await loadJobs(args.positionals, io, hclInputsFromArgs(args, io));
      const connected = (client = clientFromArgs(args, io));
      const plans = await planAndRender(
        connected,
        jobs.map(({ job }) => withDefaults(job, connected)),
        io.out,
        { preserveCounts: !!args.values["preserve-counts"], rerun: !!args.values.rerun },
      );
      const changed = plans.filter((p) => p.action !== "noop");
      if (!changed.length) return 0;
      if (!args.values.yes) {
        if (!io.isTTY) {
          io.err.write("drover apply: not applying: there is no terminal to ask for confirmation on; pass --yes to apply without asking\n");
          return 1;
        }
        if (!(await confirm(io, `\nApply ${changed.length} job${changed.length > 1 ? "s" : ""}?`))) {
          io.err.write("drover apply: cancelled, nothing was changed\n");
          return 1;
        }
      }
      const progress = new ProgressRenderer(io.out, io.isTTY);
      const onProgress = (e: ApplyProgressEvent) => {
        followUp.handle(e);
        progress.handle(e);
      };
      let failures = 0;
      const awaiting: string[] = [];
      for (const plan of changed) {
        if (interrupt.interrupted) break;
        try {
          const res = await applyJob(client, plan, {
            detach: !!args.values.detach,
            promote: !!args.values.promote,
            timeoutMs,
            onProgress,
            signal: interrupt.signal,
          });
          if (res.outcome === "awaiting-promotion") awaiting.push(res.jobId);
          if (res.regions?.length)
            io.out.write(
              `==> Job "${res.jobId}" in every region: ${res.regions.map((r) => `${r.region} ${r.status}${r.deploymentId ? ` (deployment ${r.deploymentId.slice(0, 8)})` : ""}`).join(", ")}\n`,
            );
        } catch (err) {
          if (interrupt.interrupted) break;
          failures++;
          reportError(err, io, "apply");
        }
      }
      if (interrupt.interrupted) {
        io.err.write(followUp.report("apply"));
        return INTERRUPTED_EXIT_CODE;
      }
      io.out.write(
        failures
          ? `\n${failures} of ${changed.length} jobs failed.\n`
          : `\nApplied ${changed.length} job${changed.length > 1 ? "s" : ""}.\n`,
      );
      if (awaiting.length) io.out.write(`Canaries await promotion: ${awaiting.map((j) => `drover job promote ${j}`).join("; ")}\n`);
      return failures ? 1 : 0;
    } catch (err) {
      if (interrupt.interrupted) {
        io.err.write(followUp.report("apply"));
        return INTERRUPTED_EXIT_CODE;
      }
      return reportError(err, io, "apply");
    } finally {
      interrupt.release();
      await client?.close();
    }
  },
};
