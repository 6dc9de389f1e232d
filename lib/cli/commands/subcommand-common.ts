/**
 * What the subcommands of every group (`drover job|alloc|eval|deployment|
 * node|var|system …`) share: Nomad-style single-dash long flags
 * (`parseJobArgs`), the client wrapper that turns API errors and Ctrl-C into
 * messages and exit codes (`withClient`, `callNomad`, `JobCommandError`),
 * and for the job subcommands the follow flags (-detach, -verbose,
 * -timeout), reading the live job and following the rollout with apply's
 * progress display.
 */
import type { CommandIO } from "../command";
import { UsageError } from "../command";
import type { OptionSpec, ParsedArgs } from "../args";
import { parseCommandArgs } from "../args";
import { ProgressRenderer } from "../render/progress";
import { interruptible, INTERRUPTED_EXIT_CODE, InterruptedError } from "../render/interrupt";
import { nomadStyleFlags } from "../render/status-flags";
import { LookupError, resolveJob } from "../render/status-lookup";
import { clientFromArgs, CONNECTION_OPTIONS } from "../connection";
import { parseTimeout } from "../duration";
import { reportError } from "../report-error";
import { NomadApiError, NomadClient } from "../../api";
import type { ReadBackJob } from "../../api";
import { followRollout } from "../../plan";
import type { FollowResult, FollowStart } from "../../plan";

/** The flags of subcommands that follow what they started, as `nomad job …` names them. */
export const FOLLOW_OPTIONS: Record<string, OptionSpec> = {
  detach: { type: "boolean" },
  verbose: { type: "boolean" },
  timeout: { type: "string" },
};

/** Usage lines of `FOLLOW_OPTIONS`. */
export const FOLLOW_USAGE = `  -detach            Return at once with the evaluation ID instead of following
                     the evaluation and deployment.
  -verbose           Print full IDs in the command's own lines (the progress
                     display keeps 8 characters, as drover apply does).
  -timeout DUR       How long to follow the rollout (default 10m).`;

/** Parses a subcommand's arguments (with the connection flags), accepting -flag and --flag. */
export function parseJobArgs(argv: string[], options: Record<string, OptionSpec>): ParsedArgs {
  const all = { ...CONNECTION_OPTIONS, ...options };
  return parseCommandArgs(nomadStyleFlags(argv, Object.keys(all)), all);
}

/** The string value of a flag, if given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

/** Parses a non-negative integer argument; a UsageError names `what` otherwise. */
export function parseCount(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${what} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** A failure with a message for the user and exit code 1. */
export class JobCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobCommandError";
  }
}

/** The namespace requests go to (the flag's, else NOMAD_NAMESPACE, else "default"). */
function namespaceOf(client: NomadClient): string {
  return client.config.namespace ?? "default";
}

/**
 * Reads the job named by its ID or, as Nomad's CLI allows, a unique prefix of
 * it; fails with Nomad's `No job(s) with prefix or ID "X" found` (or the list
 * of matches when the prefix is ambiguous), naming the namespace.
 */
export async function readJob(client: NomadClient, idOrPrefix: string): Promise<ReadBackJob> {
  try {
    return (await client.jobs.info(idOrPrefix)).data;
  } catch (err) {
    if (!(err instanceof NomadApiError && err.isNotFound)) throw err;
  }
  try {
    const stub = await resolveJob(client, idOrPrefix);
    return (await client.jobs.info(stub.ID)).data;
  } catch (err) {
    if (err instanceof LookupError) throw new JobCommandError(`${err.message} in namespace "${namespaceOf(client)}"`);
    throw err;
  }
}

/** Formats an ID in full with -verbose, else its first 8 characters (as nomad does). */
export function idOf(id: string, verbose: boolean): string {
  return verbose ? id : id.slice(0, 8);
}

/**
 * Follows what a subcommand started with apply's progress display (a live
 * block on a terminal, plain lines elsewhere) and says how it ended. Unless
 * -detach; then it prints the evaluation ID as nomad does. Resolves to the
 * follow result (null when detached).
 */
export async function followAfter(
  client: NomadClient,
  io: CommandIO,
  args: ParsedArgs,
  job: ReadBackJob,
  start: FollowStart,
  extra: { promote?: boolean } = {},
): Promise<FollowResult | null> {
  const verbose = !!args.values.verbose;
  if (args.values.detach) {
    if (start.evalId) io.out.write(`Evaluation ID: ${idOf(start.evalId, verbose)}\n`);
    return null;
  }
  const timeout = stringFlag(args, "timeout");
  const timeoutMs = timeout ? parseTimeout(timeout, "-timeout") : 600_000;
  const progress = new ProgressRenderer(io.out, io.isTTY);
  const interrupt = interruptible(io);
  let deploymentId = start.deploymentId;
  try {
    return await followRollout(
      client,
      { jobId: job.ID, namespace: job.Namespace ?? namespaceOf(client), region: client.config.region, job },
      start,
      {
        timeoutMs,
        onProgress: (e) => {
          if (e.type === "deployment") deploymentId = e.deploymentId;
          progress.handle(e);
        },
        promote: extra.promote,
        signal: interrupt.signal,
      },
    );
  } catch (err) {
    if (!interrupt.interrupted) throw err;
    const going = [start.evalId ? `evaluation ${start.evalId}` : "", deploymentId ? `deployment ${deploymentId}` : ""]
      .filter(Boolean)
      .join(" and ");
    throw new InterruptedError(
      `interrupted: stopped waiting; the change to job "${job.ID}" was made${going ? ` and ${going} go${going.includes(" and ") ? "" : "es"} on in Nomad` : ""}; follow it with: ${deploymentId ? `drover deployment status ${deploymentId}` : `drover status ${job.ID}`}`,
    );
  } finally {
    interrupt.release();
  }
}

/** The message of an error from Nomad without the method and path (`Nomad's message (404)`), for "Error …: <message>" lines. */
function nomadMessage(err: unknown): string {
  if (err instanceof NomadApiError) return `${err.body || "(empty response)"} (HTTP ${err.status})`;
  return (err as Error)?.message ?? String(err);
}

/**
 * Awaits a call to Nomad; when Nomad refuses, fails with "<doing>: <Nomad's
 * message>" (`doing` is e.g. `Error scaling group "web" of job "api" to 3`).
 */
export async function callNomad<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new JobCommandError(`${doing}: ${nomadMessage(err)}`);
  }
}

/** The only positional argument; a usage error "expected exactly one <what>, got N" otherwise. */
export function onePositional(args: ParsedArgs, what: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`expected exactly one ${what}, got ${args.positionals.length}`);
  return args.positionals[0];
}

/**
 * Connects with the subcommand's flags, runs `body` with the client and
 * closes the client after; resolves to `body`'s exit code, or to the one of
 * its failure, printed as `drover job <sub>: …` (or `drover <sub>: …` when `sub` names its command).
 */
export async function withJobClient(
  args: ParsedArgs,
  io: CommandIO,
  sub: string,
  body: (client: NomadClient) => Promise<number>,
): Promise<number> {
  return withClient(args, io, sub.includes(" ") ? sub : `job ${sub}`, body);
}

/**
 * As `withJobClient`, for any command: `command` is its full name after
 * "drover" ("search", "event stream"), used to prefix its failure.
 */
export async function withClient(
  args: ParsedArgs,
  io: CommandIO,
  command: string,
  body: (client: NomadClient) => Promise<number>,
): Promise<number> {
  const client = clientFromArgs(args, io);
  try {
    return await body(client);
  } catch (err) {
    return reportCommandError(err, io, command);
  } finally {
    await client.close();
  }
}

/**
 * Prints the failure of `command` (its full name after "drover") and returns
 * its exit code: 130 for an interrupted wait (what goes on is said), 1
 * otherwise; usage errors are rethrown for exit 2.
 */
function reportCommandError(err: unknown, io: CommandIO, command: string): number {
  if (err instanceof InterruptedError) {
    io.err.write(`\ndrover ${command}: ${err.message}\n`);
    return INTERRUPTED_EXIT_CODE;
  }
  if (err instanceof JobCommandError) {
    io.err.write(`drover ${command}: ${err.message}\n`);
    return 1;
  }
  return reportError(err, io, command);
}
