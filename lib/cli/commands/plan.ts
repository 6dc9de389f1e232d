/** `drover plan`: shows what applying the jobs would change, as `nomad job plan` does. */
import type { Command, CommandIO } from "../command";
import { parseCommandArgs } from "../args";
import { planAndRender } from "../render/plan";
import { planDocument, planJob } from "../../plan";
import type { JobPlan } from "../../plan";
import { clientFromArgs, CONNECTION_OPTIONS, CONNECTION_USAGE, HCL_VAR_OPTIONS, HCL_VAR_USAGE, hclInputsFromArgs, loadJobs, normalizeVarFlags, reportError, withDefaults } from "../render/shared";

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
  --preserve-counts    Plan as apply --preserve-counts registers: groups that exist
                       keep their current count.
  --rerun              Plan as apply --rerun: a finished batch job is run again.
${HCL_VAR_USAGE}
${CONNECTION_USAGE}

Exit codes: 0 success, 1 failure, 2 usage error or unreadable input.`;

/** The `drover plan` command. */
export const command: Command = {
  name: "plan",
  summary: "Show what applying jobs would change in Nomad",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(normalizeVarFlags(argv), { ...CONNECTION_OPTIONS, ...HCL_VAR_OPTIONS, "detailed-exitcode": { type: "boolean" }, json: { type: "boolean" }, "preserve-counts": { type: "boolean" }, rerun: { type: "boolean" } });
    let client;
    try {
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
