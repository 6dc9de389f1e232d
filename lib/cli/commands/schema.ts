/** `drover schema`: prints the JSON Schema of job files. */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import { jobJsonSchema } from "../../jobspec";

const USAGE = `Usage: drover schema

Prints the JSON Schema (draft 2020-12) of drover/Nomad JSON job files: a
register request {"Job": {...}} or a bare job, in Nomad's HTTP API shape.
Point an editor's JSON schema setting at the output for completion and
checks as you type; \`drover validate\` applies Nomad's rules on top.

Exit codes: 0 printed, 2 usage error.`;

/** The `drover schema` command. */
export const command: Command = {
  name: "schema",
  summary: "Print the JSON Schema of job files",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(argv, {}, true);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    io.out.write(JSON.stringify(jobJsonSchema(), null, 2) + "\n");
    return 0;
  },
};
