/** `drover plan`: shows what applying the jobs would change, as `nomad job plan` does. */
import type { Command, CommandIO } from "../command";
import { parseCommandArgs } from "../args";
import { planAndRender } from "../render/plan";
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
    const args = parseCommandArgs(normalizeVarFlags(argv), { ...CONNECTION_OPTIONS, ...HCL_VAR_OPTIONS, "detailed-exitcode": { type: "boolean" }, "preserve-counts": { type: "boolean" }, rerun: { type: "boolean" } });
    let client;
    try {
      const jobs = await loadJobs(args.positionals, io, hclInputsFromArgs(args, io));
      const connected = (client = clientFromArgs(args, io));
      const plans = await planAndRender(connected, jobs.map(({ job }) => withDefaults(job, connected)), io.out, { preserveCounts: !!args.values["preserve-counts"], rerun: !!args.values.rerun });
      const changes = plans.some((p) => p.action !== "noop");
      return args.values["detailed-exitcode"] && changes ? 2 : 0;
    } catch (err) {
      return reportError(err, io, "plan");
    } finally {
      await client?.close();
    }
  },
};
