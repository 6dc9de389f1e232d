/** `drover var put PATH [KEY=VALUE…]`: as `nomad var put`. */
import * as fs from "node:fs";
import * as nodePath from "node:path";
import type { CommandIO } from "../../command";
import { UsageError } from "../../command";
import type { Subcommand } from "../subcommand";
import { JobCommandError, parseJobArgs, stringFlag, withJobClient } from "../subcommand-common";
import { subcommandUsage } from "../subcommand-usage";
import { casFailure, checkIndex, outFormat, writeVar, type VarFormat } from "./common";

/** A variable specification read from a file or stdin (Nomad's JSON spec). */
interface VarSpec {
  Path?: string;
  Namespace?: string;
  Items?: Record<string, string>;
  ModifyIndex?: number;
}

async function readStdin(io: CommandIO): Promise<string> {
  const input = io.in ?? process.stdin;
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString("utf8");
}

function parseSpec(text: string, where: string): VarSpec {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    throw new JobCommandError(`Error parsing variable specification ${where}: ${(err as Error).message}`);
  }
  if (typeof spec !== "object" || spec === null || Array.isArray(spec))
    throw new JobCommandError(`Error parsing variable specification ${where}: expected a JSON object`);
  const s = spec as VarSpec;
  if (s.Items !== undefined) {
    for (const [k, v] of Object.entries(s.Items))
      if (typeof v !== "string") throw new JobCommandError(`Error parsing variable specification ${where}: Items.${k} must be a string`);
  }
  return s;
}

/** The `drover var put` subcommand. */
export const subcommand: Subcommand = {
  name: "put",
  summary: "Create or update a variable",
  usage: subcommandUsage(`Usage: drover var put [options] PATH [@SPEC.json] [KEY=VALUE]...
       drover var put [options] @SPEC.json|- [KEY=VALUE]...

Writes the variable at PATH. Items come from a JSON specification (a file
given as @FILE, or "-" for stdin: {"Path", "Items", "ModifyIndex"}) and from
KEY=VALUE arguments, which win. A VALUE of @FILE is that file's content, and
"-" reads it from stdin.

Options:
  -check-index N     Write only if the variable's modify index is N (0: only
                     if it does not exist). A specification's ModifyIndex is
                     used unless -force.
  -force             Write whatever the variable's index.
  -in json           The format of a specification on stdin (only json).
  -out FORMAT        json, hcl, table or none (default: none on a terminal,
                     json otherwise).
  -verbose           Say on stderr what is written.
`),
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, {
      "check-index": { type: "string" },
      force: { type: "boolean" },
      in: { type: "string" },
      out: { type: "string" },
      verbose: { type: "boolean" },
    });
    const inFormat = stringFlag(args, "in") ?? "json";
    if (inFormat === "hcl") throw new UsageError("-in hcl is not supported by drover: give the specification as JSON");
    if (inFormat !== "json") throw new UsageError(`Invalid value for "-in"; valid values are [hcl, json]`);
    const format = outFormat<VarFormat>(args, ["json", "hcl", "table", "none"], io.isTTY ? "none" : "json");
    const rest = [...args.positionals];
    if (rest.length === 0) throw new UsageError("expected a variable path or specification");
    let spec: VarSpec = {};
    let path: string | undefined;
    const first = rest[0];
    const specFrom = async (ref: string): Promise<VarSpec> => {
      if (ref === "-") return parseSpec(await readStdin(io), "from stdin");
      const file = nodePath.resolve(io.cwd, ref.slice(1));
      if (/\.(hcl|nv\.hcl)$/.test(file)) throw new UsageError(`${ref}: HCL variable specifications are not supported by drover; use JSON`);
      return parseSpec(fs.readFileSync(file, "utf8"), `in ${ref.slice(1)}`);
    };
    if (first === "-" || first.startsWith("@")) {
      spec = await specFrom(rest.shift() as string);
    } else {
      path = rest.shift();
      if (rest[0] && (rest[0] === "-" || rest[0].startsWith("@")) && !rest[0].includes("=")) spec = await specFrom(rest.shift() as string);
    }
    path = path ?? spec.Path;
    if (!path) throw new UsageError("the variable specification has no Path and none was given");
    const items: Record<string, string> = { ...(spec.Items ?? {}) };
    for (const pair of rest) {
      const eq = pair.indexOf("=");
      if (eq <= 0) throw new UsageError(`expected KEY=VALUE, got "${pair}"`);
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "-") items[key] = await readStdin(io);
      else if (value.startsWith("@")) items[key] = fs.readFileSync(nodePath.resolve(io.cwd, value.slice(1)), "utf8");
      else items[key] = value;
    }
    if (Object.keys(items).length === 0) throw new UsageError("a variable needs at least one item (KEY=VALUE)");
    let cas = checkIndex(args);
    if (cas === undefined && !args.values.force && spec.ModifyIndex !== undefined) cas = spec.ModifyIndex;
    if (args.values.force) cas = undefined;
    return withJobClient(args, io, "var put", async (client) => {
      if (args.values.verbose) io.err.write(`Writing to path "${path}"\n`);
      const r = await client.variables
        .put({ Path: path as string, Items: items, Namespace: spec.Namespace }, { checkIndex: cas })
        .catch(casFailure);
      if (format === "none") {
        if (io.isTTY) io.out.write(`Created variable "${path}" with modify index ${r.data.ModifyIndex}\n`);
      } else writeVar(io, r.data, format);
      return 0;
    });
  },
};
