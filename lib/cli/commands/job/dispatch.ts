/** `drover job dispatch JOB [INPUT|-]`: launches a child of a parameterized job, as `nomad job dispatch`. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import {
  callNomad,
  FOLLOW_OPTIONS,
  FOLLOW_USAGE,
  followAfter,
  idOf,
  parseCount,
  parseJobArgs,
  readJob,
  stringFlag,
  withJobClient,
} from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

const USAGE = subcommandUsage(`Usage: drover job dispatch [options] JOB [INPUT_FILE|-]

Dispatches a child of the parameterized job JOB. The payload is read from
INPUT_FILE, or from standard input with "-". Nomad checks the meta against
the job's parameterized block (required and optional keys) and the payload
against its payload setting. Unless -detach, follows the child's evaluation
(and with -wait its allocations) with the same progress display as drover apply.

Options:
  -meta KEY=VALUE    Meta of the child; may be given several times.
  -id-prefix-template T
                     Prefix of the child's ID (JOB/dispatch-<time>-<id> otherwise).
  -idempotency-token TOKEN
                     Dispatch at most one child with this token.
  -priority N        Priority of the child (default: the parent's).
  -wait              Also wait for the child's allocations to finish (complete
                     for batch jobs); exit 1 when one fails.
${FOLLOW_USAGE}
`);

/** Parses `-meta` values (`key=value`); a UsageError names a malformed one. */
function parseMeta(values: string[]): Record<string, string> | undefined {
  if (!values.length) return undefined;
  const meta: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf("=");
    if (i <= 0) throw new UsageError(`-meta "${v}" must be KEY=VALUE`);
    meta[v.slice(0, i)] = v.slice(i + 1);
  }
  return meta;
}

async function readPayload(source: string, io: CommandIO): Promise<Buffer> {
  if (source === "-") {
    const input = io.in ?? process.stdin;
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks);
  }
  try {
    return fs.readFileSync(path.resolve(io.cwd, source));
  } catch (err) {
    throw new UsageError(`cannot read the payload file ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The `drover job dispatch` subcommand. */
export const subcommand: Subcommand = {
  name: "dispatch",
  summary: "Dispatch a child of a parameterized job",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      ...FOLLOW_OPTIONS,
      meta: { type: "string", multiple: true },
      "id-prefix-template": { type: "string" },
      "idempotency-token": { type: "string" },
      priority: { type: "string" },
      wait: { type: "boolean" },
    });
    const n = args.positionals.length;
    if (n < 1 || n > 2) throw new UsageError(`expected JOB [INPUT_FILE|-], got ${n} arguments`);
    const [given, source] = args.positionals;
    const meta = parseMeta((args.values.meta as string[] | undefined) ?? []);
    const priorityFlag = stringFlag(args, "priority");
    const priority = priorityFlag === undefined ? undefined : parseCount(priorityFlag, "-priority");
    const payload = source === undefined ? undefined : await readPayload(source, io);
    return withJobClient(args, io, "dispatch", async (client) => {
      const jobId = (await readJob(client, given)).ID;
      const res = await callNomad(`Error dispatching job "${jobId}"`, () =>
        client.jobs.dispatch(jobId, {
          meta,
          payload,
          idPrefixTemplate: stringFlag(args, "id-prefix-template"),
          idempotencyToken: stringFlag(args, "idempotency-token"),
          priority,
        }),
      );
      const verbose = !!args.values.verbose;
      io.out.write(`Dispatched Job ID = ${res.data.DispatchedJobID}\n`);
      if (res.data.EvalID) io.out.write(`Evaluation ID     = ${idOf(res.data.EvalID, verbose)}\n`);
      if (!res.data.EvalID || args.values.detach) return 0;
      const child = await readJob(client, res.data.DispatchedJobID);
      await followAfter(client, io, args, child, { evalId: res.data.EvalID, evaluationOnly: !args.values.wait });
      return 0;
    });
  },
};
