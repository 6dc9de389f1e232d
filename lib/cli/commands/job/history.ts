/** `drover job history JOB`: the job's tracked versions, as `nomad job history`. */
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { JobDiff, ReadBackJob } from "../../../api";
import { renderJobDiff } from "../../render/job-diff";
import { formatTime } from "../../render/status-format";
import type { Subcommand } from "../subcommand";
import { subcommandUsage } from "../subcommand-usage";
import {
  callNomad,
  JobCommandError,
  onePositional,
  parseCount,
  parseJobArgs,
  readJob,
  stringFlag,
  withJobClient,
} from "../subcommand-common";

const OPTIONS = {
  p: { type: "boolean" as const, short: "p" },
  full: { type: "boolean" as const },
  version: { type: "string" as const },
  json: { type: "boolean" as const },
};

/** One version as `Key = value` lines; the diff and the full job follow their key on the next lines. */
function renderVersion(job: ReadBackJob, diff: JobDiff | undefined, full: boolean): string {
  const tag = (job as { VersionTag?: { Name?: string; Description?: string } | null }).VersionTag;
  const rows: [string, string][] = [
    ["Version", String(job.Version ?? 0)],
    ["Stable", String(!!job.Stable)],
    ["Submit Date", formatTime((job.SubmitTime ?? 0) / 1e6)],
  ];
  if (tag?.Name) rows.push(["Tag Name", tag.Name]);
  if (tag?.Description) rows.push(["Tag Description", tag.Description]);
  if (diff && diff.Type !== "None") rows.push(["Diff", `\n${renderJobDiff(diff).trim()}`]);
  if (full) rows.push(["Full", `JSON Job:\n${JSON.stringify(job, null, 4)}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)} = ${v}`.replace(/ +\n/, "\n")).join("\n") + "\n";
}

/** `drover job history`, and `drover job versions` (the same command under the name of the API path). */
export function historyCommand(name: "history" | "versions"): Subcommand {
  const alias =
    name === "versions"
      ? `
Nomad has no \`job versions\` command: this is \`drover job history\` under the
name of the API path it reads (GET /v1/job/:id/versions).
`
      : "";
  return {
    name,
    summary: name === "history" ? "Show a job's tracked versions" : "Show a job's tracked versions (drover job history)",
    usage: subcommandUsage(`Usage: drover job ${name} [options] JOB

Shows the known versions of the job JOB (an ID or a unique prefix of one),
newest first: version, stability, submit time and, with -p, what changed
from the version before.
${alias}
Options:
  -p                 Show the difference between each version and the one before.
  -full              Show each version's full job as JSON.
  -version N         Show only version N.
  -json              Print the versions (or with -version, the one) as JSON.
                     Not with -p or -full.
`),
    async run(argv: string[], io: CommandIO): Promise<number> {
      const args = parseJobArgs(argv, OPTIONS);
      const given = onePositional(args, "job ID");
      const diff = !!args.values.p;
      const full = !!args.values.full;
      const json = !!args.values.json;
      if (json && (diff || full)) throw new UsageError("-json is exclusive with -p and -full");
      const versionFlag = stringFlag(args, "version");
      const only = versionFlag === undefined ? undefined : parseCount(versionFlag, "-version");
      return withJobClient(args, io, name, async (client) => {
        const job = await readJob(client, given);
        const r = (
          await callNomad("Error retrieving job versions", () => client.jobs.versions(job.ID, { namespace: job.Namespace, diffs: diff }))
        ).data;
        const entries = r.Versions.map((v, i) => ({ job: v, diff: r.Diffs?.[i] }));
        const shown = only === undefined ? entries : entries.filter((e) => e.job.Version === only);
        if (only !== undefined && shown.length === 0)
          throw new JobCommandError(
            `job ${JSON.stringify(job.ID)} has no version ${only} (its versions: ${r.Versions.map((v) => v.Version).join(", ")})`,
          );
        if (json) {
          io.out.write(`${JSON.stringify(only === undefined ? r.Versions : shown[0].job, null, 4)}\n`);
          return 0;
        }
        io.out.write(shown.map((e) => renderVersion(e.job, e.diff, full)).join("\n"));
        return 0;
      });
    },
  };
}

/** The `drover job history` subcommand. */
export const subcommand: Subcommand = historyCommand("history");
