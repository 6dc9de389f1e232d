/**
 * Starts `drover agent` in a child process for the benchmarks that talk to
 * it over HTTP, so that the load generator does not share its CPU with the
 * agent. The agent runs from the TypeScript sources through tsx, as the
 * benchmarks themselves do.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";

/** A running agent process. */
export interface AgentProcess {
  /** The child process. */
  child: ChildProcess;
  /** "http://127.0.0.1:PORT", as the agent printed it. */
  address: string;
  /** Stops the agent (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `drover agent ARGS…` and resolves once it prints the address it listens on (60 s at most). */
export function spawnAgent(args: string[]): Promise<AgentProcess> {
  const main = path.join(__dirname, "..", "lib", "cli", "main.ts");
  const script = `require(${JSON.stringify(main)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script, "agent", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`agent did not start within 60 s: ${out}`));
    }, 60_000);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners("data");
        child.stdout?.resume();
        resolve({ child, address: m[1], stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited with ${code} before listening: ${out}`));
    });
  });
}
