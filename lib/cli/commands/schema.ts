/** `drover schema`: prints the JSON Schema of job files. */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import { jobJsonSchema } from "../../jobspec";
import { planJsonSchema } from "../../plan";

const USAGE = `Usage: drover schema [--plan]

Prints the JSON Schema (draft 2020-12) of drover/Nomad JSON job files: a
register request {"Job": {...}} or a bare job, in Nomad's HTTP API shape.
Point an editor's JSON schema setting at the output for completion and
checks as you type; \`drover validate\` applies Nomad's rules on top.

Options:
  --plan   Print the JSON Schema of \`drover plan --json\` output instead.

Exit codes: 0 printed, 2 usage error.`;

/** The `drover schema` command. */
export const command: Command = {
  name: "schema",
  summary: "Print the JSON Schema of job files (or of plan --json output)",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(argv, { plan: { type: "boolean" } }, true);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
    io.out.write(JSON.stringify(args.values.plan ? planJsonSchema() : jobJsonSchema(), null, 2) + "\n");
    return 0;
  },
};
