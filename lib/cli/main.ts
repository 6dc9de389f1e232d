import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommandIO, UsageError } from "./command";
import { closestName } from "../jobspec/keys";

const COMMANDS_DIR = path.join(__dirname, "commands");

/** The names of the available subcommands, from the files in `commands/`. */
function commandNames(): string[] {
  return fs
    .readdirSync(COMMANDS_DIR)
    .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith(".d.ts") && !f.endsWith(".map"))
    .map((f) => f.replace(/\.(js|ts)$/, ""))
    .filter((n, i, all) => all.indexOf(n) === i)
    .sort();
}

/** Loads one subcommand by name, or returns undefined when there is no such command. */
export function loadCommand(name: string): Command | undefined {
  if (!/^[a-z][a-z-]*$/.test(name) || !commandNames().includes(name)) return undefined;
  const mod = require(path.join(COMMANDS_DIR, name)) as { command: Command };
  return mod.command;
}

/** The version in the nearest package.json above this file (works from lib/ and from dist/lib/). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

function defaultIO(): CommandIO {
  return {
    out: process.stdout,
    err: process.stderr,
    in: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

function helpText(): string {
  const lines = ["Usage: drover <command> [options]", "", "Commands:"];
  for (const name of commandNames()) {
    const cmd = loadCommand(name);
    if (cmd) lines.push(`  ${name.padEnd(10)} ${cmd.summary}`);
  }
  lines.push("", "Run `drover <command> --help` for a command's options.");
  return lines.join("\n") + "\n";
}

/** Runs `drover` with the given arguments and resolves to the exit code. */
export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.out.write(helpText());
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "version") {
    io.out.write(`drover ${packageVersion()}\n`);
    return 0;
  }
  const cmd = loadCommand(name);
  if (!cmd) {
    const near = closestName(name, commandNames());
    io.err.write(
      near ? `drover: unknown command "${name}" (did you mean "${near}"?)\n` : `drover: unknown command "${name}"\n\n${helpText()}`,
    );
    return 2;
  }
  const usage = cmd.usageFor?.(rest) ?? cmd.usage;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out.write(usage.endsWith("\n") ? usage : usage + "\n");
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err.write(`drover ${name}: ${err.message}\n\n${usage}\n`);
      return 2;
    }
    throw err;
  }
}
