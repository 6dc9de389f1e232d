/**
 * `drover var lock PATH CHILD…`: as `nomad var lock`: takes the variable's
 * lock (waiting for it unless -early-return), runs the child while holding
 * it, renews it every half TTL, and releases it when the child exits. When
 * the lock is lost, the child is stopped (SIGTERM) and the command fails.
 */
import { spawn } from "node:child_process";
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import { parseGoDuration } from "../../../jobspec/duration";
import { NomadApiError, VariableConflictError } from "../../../api";
import type { Subcommand } from "../subcommand";
import { JobCommandError, parseJobArgs, stringFlag, withJobClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";

/** The command's flags: string-valued ones take the next argument unless written -flag=value. */
const STRING_FLAGS = ["ttl", "delay", "backoff", "max-retry", "address", "token", "namespace", "region"];
const BOOLEAN_FLAGS = ["verbose", "early-return", "shell"];

/** Splits the arguments into the command's flags and the rest (PATH and the child's command line, whose flags are its own). */
function splitArgs(argv: string[]): { flags: string[]; rest: string[]; shell: boolean } {
  const flags: string[] = [];
  let shell = true;
  let i = 0;
  for (; i < argv.length; i++) {
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) break;
    if (m[1] === "shell") {
      if (m[2] !== undefined && !["true", "false"].includes(m[2])) throw new UsageError(`-shell takes true or false, got "${m[2]}"`);
      shell = m[2] !== "false";
    } else if (STRING_FLAGS.includes(m[1])) {
      flags.push(`--${m[1]}`, m[2] ?? argv[++i] ?? "");
    } else if (BOOLEAN_FLAGS.includes(m[1])) flags.push(`--${m[1]}`);
    else throw new UsageError(`unknown option "${argv[i]}"`);
  }
  return { flags, rest: argv.slice(i), shell };
}

function durationMs(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  try {
    return parseGoDuration(text) / 1e6;
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The `drover var lock` subcommand. */
export const subcommand: Subcommand = {
  name: "lock",
  summary: "Run a command while holding a variable's lock",
  usage: subcommandUsage(`Usage: drover var lock [options] PATH CHILD...

Takes the lock of the variable at PATH (creating the variable if needed),
runs CHILD while holding it, renews the lock every half TTL and releases it
when CHILD exits; exits with CHILD's exit code. When the lock is lost, CHILD
gets SIGTERM and the command exits 1.

Options:
  -ttl DUR           The lock's TTL (default 15s; 10s to 24h).
  -delay DUR         How long the lock stays held after it was not renewed
                     (default 15s).
  -backoff DUR       How long to wait between attempts to take the lock
                     (default 1.1 times the TTL).
  -early-return      Exit 1 at once when the lock is held by someone else.
  -max-retry N       Renewals that may fail with a server error in a row
                     before the lock counts as lost (default 5).
  -shell=false       Run CHILD directly instead of in $SHELL (default /bin/sh).
  -verbose           Say on stderr when the lock is taken and released.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const { flags, rest, shell } = splitArgs(argv);
    const args = parseJobArgs(flags, {
      ttl: { type: "string" },
      delay: { type: "string" },
      backoff: { type: "string" },
      "max-retry": { type: "string" },
      "early-return": { type: "boolean" },
      verbose: { type: "boolean" },
    });
    if (rest.length < 2) throw new UsageError("expected a variable path and a command to run");
    const [path, ...child] = rest;
    const ttlMs = durationMs(stringFlag(args, "ttl"), "-ttl", 15_000);
    const delayMs = durationMs(stringFlag(args, "delay"), "-delay", 15_000);
    const backoffMs = durationMs(stringFlag(args, "backoff"), "-backoff", ttlMs * 1.1);
    const maxRetryText = stringFlag(args, "max-retry") ?? "5";
    if (!/^\d+$/.test(maxRetryText)) throw new UsageError(`-max-retry must be a non-negative integer, got "${maxRetryText}"`);
    const maxRetry = Number(maxRetryText);
    const verbose = !!args.values.verbose;
    return withJobClient(args, io, "var lock", async (client) => {
      const lockSpec = { ID: "", TTL: `${ttlMs}ms`, LockDelay: `${delayMs}ms` };
      let lockID = "";
      for (;;) {
        try {
          lockID = (await client.variables.acquireLock({ Path: path, Lock: lockSpec })).data.Lock?.ID ?? "";
          break;
        } catch (err) {
          if (!(err instanceof VariableConflictError)) throw err;
          if (args.values["early-return"]) throw new JobCommandError(`lock on "${path}" is held by someone else`);
          if (verbose) io.err.write(`Lock on "${path}" is held; trying again in ${Math.round(backoffMs)}ms\n`);
          await sleep(backoffMs);
        }
      }
      if (verbose) io.err.write(`Acquired the lock on "${path}"\n`);
      const command = shell ? [process.env.SHELL || "/bin/sh", "-c", child.join(" ")] : child;
      const proc = spawn(command[0], command.slice(1), { cwd: io.cwd, env: io.env, stdio: ["ignore", "pipe", "pipe"] });
      proc.stdout.on("data", (d: Buffer) => io.out.write(d));
      proc.stderr.on("data", (d: Buffer) => io.err.write(d));
      let lost = false;
      let failures = 0;
      const renew = setInterval(() => {
        client.variables.renewLock(path, lockID).then(
          () => {
            failures = 0;
          },
          (err: unknown) => {
            if (err instanceof NomadApiError && err.status >= 500 && ++failures <= maxRetry) return;
            lost = true;
            proc.kill("SIGTERM");
          },
        );
      }, ttlMs / 2);
      const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
        proc.once("error", (error) => resolve({ code: null, error }));
        proc.once("exit", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1) }));
      });
      clearInterval(renew);
      if (lost) throw new JobCommandError(`lost the lock on "${path}"; the command was stopped`);
      await client.variables.releaseLock(path, lockID);
      if (verbose) io.err.write(`Released the lock on "${path}"\n`);
      if (exit.error) throw new JobCommandError(`cannot run ${JSON.stringify(command[0])}: ${exit.error.message}`);
      return exit.code ?? 1;
    });
  },
};
