/**
 * `drover namespace apply|list|status|delete`: Nomad's namespace commands
 * with their flags and output.
 */
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import type { NomadClient } from "../../api";
import type { ParsedArgs } from "../args";
import { clientFromArgs } from "../connection";
import { reportError } from "../report-error";
import { formatKV, formatList } from "../render/status-format";
import { COMMON_USAGE } from "./subcommand-usage";
import { parseJobArgs, stringFlag } from "./subcommand-common";

const USAGE = `Usage: drover namespace <subcommand> [options] ARGS

Works with namespaces, as \`nomad namespace …\` does:
  apply [-description D] [-meta k=v ...] NAME   Create or update a namespace
  list [-json]                                  The namespaces the token may see
  status NAME                                   One namespace
  delete NAME                                   Delete a namespace without jobs (not "default")

${COMMON_USAGE}

Exit codes: 0 success, 1 failure (Nomad refused), 2 usage error.`;

const OPTIONS = {
  description: { type: "string" as const },
  meta: { type: "string" as const, multiple: true },
  json: { type: "boolean" as const },
};

async function run(client: NomadClient, [action, ...rest]: string[], args: ParsedArgs, io: CommandIO): Promise<number> {
  const one = (): string => {
    if (rest.length !== 1) throw new UsageError(`namespace ${action}: expected one NAME`);
    return rest[0];
  };
  switch (action) {
    case "apply": {
      const name = one();
      const metaFlags = (args.values.meta as string[] | undefined) ?? [];
      const existing = await client.namespaces.info(name).then(
        (r) => r.data,
        () => undefined,
      );
      const meta: Record<string, string> = { ...(existing?.Meta ?? {}) };
      for (const kv of metaFlags) {
        const at = kv.indexOf("=");
        if (at <= 0) throw new UsageError(`-meta must be key=value, got "${kv}"`);
        meta[kv.slice(0, at)] = kv.slice(at + 1);
      }
      await client.namespaces.register({
        Name: name,
        Description: stringFlag(args, "description") ?? existing?.Description ?? "",
        Meta: Object.keys(meta).length > 0 ? meta : null,
      });
      io.out.write(`Successfully applied namespace "${name}"!\n`);
      return 0;
    }
    case "list": {
      const all = (await client.namespaces.list()).data;
      if (args.values.json) io.out.write(`${JSON.stringify(all, null, 4)}\n`);
      else
        io.out.write(
          all.length === 0
            ? "No namespaces found\n"
            : `${formatList(["Name|Description", ...all.map((n) => `${n.Name}|${n.Description ?? ""}`)])}\n`,
        );
      return 0;
    }
    case "status": {
      const n = (await client.namespaces.info(one())).data;
      const rows = [`Name|${n.Name}`, `Description|${n.Description ?? ""}`, `Quota|${n.Quota ?? ""}`];
      let text = formatKV(rows);
      const meta = Object.entries(n.Meta ?? {});
      if (meta.length > 0) text += `\n\nMetadata\n${formatKV(meta.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}|${v}`))}`;
      io.out.write(`${text}\n`);
      return 0;
    }
    case "delete": {
      const name = one();
      await client.namespaces.delete(name);
      io.out.write(`Successfully deleted namespace "${name}"!\n`);
      return 0;
    }
  }
  throw new UsageError(`unknown subcommand "namespace ${action ?? ""}"; expected apply, list, status or delete`);
}

/** The `drover namespace` command. */
export const command: Command = {
  name: "namespace",
  summary: "Create, list, show and delete namespaces",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, OPTIONS);
    if (args.positionals.length === 0) throw new UsageError("expected a subcommand: apply, list, status, delete");
    const client = clientFromArgs(args, io);
    try {
      return await run(client, args.positionals, args, io);
    } catch (err) {
      return reportError(err, io, `namespace ${args.positionals[0]}`);
    } finally {
      await client.close();
    }
  },
};
