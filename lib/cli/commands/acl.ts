/**
 * `drover acl …`: Nomad's ACL commands (`nomad acl bootstrap`, `acl token
 * create|list|info|self|update|delete`, `acl policy apply|list|info|delete`,
 * `acl role create|list|info|update|delete`) with Nomad's flags and output.
 * The token comes from NOMAD_TOKEN or --token and is never printed; a
 * token's secret is printed only where Nomad prints it (bootstrap, token
 * create, token self).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import type { ParsedArgs } from "../args";
import type { ACLRole, ACLToken, ACLTokenRequest, NomadClient } from "../../api";
import { clientFromArgs } from "../connection";
import { reportError } from "../report-error";
import { formatKV, formatList } from "../render/status-format";
import { COMMON_USAGE } from "./subcommand-usage";
import { parseJobArgs, stringFlag } from "./subcommand-common";

const USAGE = `Usage: drover acl <subcommand> [options] ARGS

Works with Nomad's ACL system, as \`nomad acl …\` does:
  bootstrap [FILE]                 Create the first management token (FILE: a secret to use, or - for stdin)
  token create|list|info|self|update|delete
      create -name N -type client|management -policy P (repeatable) -role-name R -role-id ID -global -ttl DUR
      update -name N -type T -policy P -role-name R -role-id ID ACCESSOR
      info ACCESSOR | self | list | delete ACCESSOR
  policy apply [-description D] NAME FILE | list | info NAME | delete NAME
  role create -name N -description D -policy P | list | info [-by-name] ID | update -name N -description D -policy P ID | delete ID

${COMMON_USAGE}

Exit codes: 0 success, 1 failure (Nomad refused), 2 usage error.`;

const OPTIONS = {
  name: { type: "string" as const },
  type: { type: "string" as const },
  policy: { type: "string" as const, multiple: true },
  "role-name": { type: "string" as const, multiple: true },
  "role-id": { type: "string" as const, multiple: true },
  global: { type: "boolean" as const },
  ttl: { type: "string" as const },
  description: { type: "string" as const },
  "by-name": { type: "boolean" as const },
  json: { type: "boolean" as const },
};

function list(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? (v as string[]) : typeof v === "string" ? [v] : [];
}

function timeText(t: string | null | undefined): string {
  return !t || t.startsWith("0001-") ? "<none>" : t;
}

/** Nomad's `formatKVACLToken`: the secret only when `withSecret`. */
function tokenText(t: ACLToken, withSecret: boolean): string {
  const rows = [`Accessor ID|${t.AccessorID}`];
  if (withSecret) rows.push(`Secret ID|${t.SecretID}`);
  rows.push(
    `Name|${t.Name}`,
    `Type|${t.Type}`,
    `Global|${t.Global}`,
    `Create Time|${t.CreateTime}`,
    `Expiry Time|${timeText(t.ExpirationTime)}`,
    `Create Index|${t.CreateIndex}`,
    `Modify Index|${t.ModifyIndex}`,
  );
  rows.push(`Policies|${t.Type === "management" ? "n/a" : `[${(t.Policies ?? []).join(" ")}]`}`);
  const roles =
    t.Type === "management"
      ? "n/a"
      : (t.Roles ?? []).length === 0
        ? "<none>"
        : formatList(["ID|Name", ...(t.Roles ?? []).map((r) => `${r.ID ?? ""}|${r.Name ?? ""}`)]);
  return `${formatKV(rows)}\n\nRoles\n${roles}\n`;
}

function roleText(r: ACLRole): string {
  return `${formatKV([`ID|${r.ID ?? ""}`, `Name|${r.Name}`, `Description|${r.Description ?? ""}`, `Policies|${r.Policies.map((p) => p.Name).join(",")}`, `Create Index|${r.CreateIndex ?? 0}`, `Modify Index|${r.ModifyIndex ?? 0}`])}\n`;
}

function tokenRequest(args: ParsedArgs, create: boolean): ACLTokenRequest {
  const req: ACLTokenRequest = {};
  const name = stringFlag(args, "name");
  if (name !== undefined) req.Name = name;
  const type = stringFlag(args, "type") ?? (create ? "client" : undefined);
  if (type !== undefined) {
    if (type !== "client" && type !== "management") throw new UsageError(`-type must be "client" or "management", got "${type}"`);
    req.Type = type;
  }
  const policies = list(args, "policy");
  if (policies.length > 0 || create) req.Policies = policies;
  const roles = [...list(args, "role-name").map((Name) => ({ Name })), ...list(args, "role-id").map((ID) => ({ ID }))];
  if (roles.length > 0 || create) req.Roles = roles;
  if (args.values.global) req.Global = true;
  const ttl = stringFlag(args, "ttl");
  if (ttl !== undefined) {
    if (!create) throw new UsageError("-ttl can only be set when a token is created");
    req.ExpirationTTL = ttl;
  }
  return req;
}

async function run(client: NomadClient, words: string[], args: ParsedArgs, io: CommandIO): Promise<number> {
  const [area, action, ...rest] = words;
  const want = (n: number, what: string): void => {
    if (rest.length !== n) throw new UsageError(`acl ${area} ${action}: expected ${what}`);
  };
  if (area === "bootstrap") {
    const file = action;
    let secret = "";
    if (file !== undefined)
      secret = (file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(path.resolve(io.cwd, file), "utf8")).trim();
    const t = (await client.acl.bootstrap(secret)).data;
    io.out.write(tokenText(t, true));
    return 0;
  }
  if (area === "token") {
    switch (action) {
      case "create": {
        want(0, "no arguments");
        const t = (await client.acl.createToken(tokenRequest(args, true))).data;
        io.out.write(tokenText(t, true));
        return 0;
      }
      case "update": {
        want(1, "ACCESSOR");
        const t = (await client.acl.updateToken(rest[0], tokenRequest(args, false))).data;
        io.out.write(tokenText(t, false));
        return 0;
      }
      case "info": {
        want(1, "ACCESSOR");
        io.out.write(tokenText((await client.acl.token(rest[0])).data, false));
        return 0;
      }
      case "self": {
        want(0, "no arguments");
        io.out.write(tokenText((await client.acl.self()).data, false));
        return 0;
      }
      case "list": {
        const tokens = (await client.acl.tokens()).data;
        if (args.values.json) io.out.write(`${JSON.stringify(tokens, null, 4)}\n`);
        else if (tokens.length === 0) io.out.write("No tokens found\n");
        else {
          const now = Date.now();
          io.out.write(
            `${formatList(["Name|Type|Global|Accessor ID|Expired", ...tokens.map((t) => `${t.Name}|${t.Type}|${t.Global}|${t.AccessorID}|${!!t.ExpirationTime && Date.parse(t.ExpirationTime) <= now}`)])}\n`,
          );
        }
        return 0;
      }
      case "delete": {
        want(1, "ACCESSOR");
        await client.acl.deleteToken(rest[0]);
        io.out.write(`Token ${rest[0]} successfully deleted\n`);
        return 0;
      }
    }
  }
  if (area === "policy") {
    switch (action) {
      case "apply": {
        want(2, "NAME FILE");
        const [name, file] = rest;
        const rules = file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(path.resolve(io.cwd, file), "utf8");
        await client.acl.upsertPolicy({ Name: name, Description: stringFlag(args, "description") ?? "", Rules: rules });
        io.out.write(`Successfully wrote "${name}" ACL policy!\n`);
        return 0;
      }
      case "list": {
        const policies = (await client.acl.policies()).data;
        if (args.values.json) io.out.write(`${JSON.stringify(policies, null, 4)}\n`);
        else
          io.out.write(
            policies.length === 0
              ? "No policies found\n"
              : `${formatList(["Name|Description", ...policies.map((p) => `${p.Name}|${p.Description ?? ""}`)])}\n`,
          );
        return 0;
      }
      case "info": {
        want(1, "NAME");
        const p = (await client.acl.policy(rest[0])).data;
        io.out.write(
          `${formatKV([`Name|${p.Name}`, `Description|${p.Description ?? ""}`, `CreateIndex|${p.CreateIndex ?? 0}`, `ModifyIndex|${p.ModifyIndex ?? 0}`])}\n\nRules\n\n${p.Rules}\n`,
        );
        return 0;
      }
      case "delete": {
        want(1, "NAME");
        await client.acl.deletePolicy(rest[0]);
        io.out.write(`Successfully deleted "${rest[0]}" ACL policy!\n`);
        return 0;
      }
    }
  }
  if (area === "role") {
    const roleBody = (id?: string): ACLRole => {
      const name = stringFlag(args, "name");
      if (!name) throw new UsageError("-name is required");
      const policies = list(args, "policy");
      if (policies.length === 0) throw new UsageError("at least one -policy is required");
      return { ID: id, Name: name, Description: stringFlag(args, "description") ?? "", Policies: policies.map((Name) => ({ Name })) };
    };
    switch (action) {
      case "create":
        want(0, "no arguments");
        io.out.write(roleText((await client.acl.upsertRole(roleBody())).data));
        return 0;
      case "update":
        want(1, "ROLE ID");
        io.out.write(roleText((await client.acl.upsertRole(roleBody(rest[0]))).data));
        return 0;
      case "info":
        want(1, "ROLE ID (or name with -by-name)");
        io.out.write(roleText((args.values["by-name"] ? await client.acl.roleByName(rest[0]) : await client.acl.role(rest[0])).data));
        return 0;
      case "list": {
        const roles = (await client.acl.roles()).data;
        io.out.write(
          roles.length === 0
            ? "No ACL roles found\n"
            : `${formatList(["ID|Name|Description|Policies", ...roles.map((r) => `${r.ID}|${r.Name}|${r.Description ?? ""}|${r.Policies.map((p) => p.Name).join(",")}`)])}\n`,
        );
        return 0;
      }
      case "delete":
        want(1, "ROLE ID");
        await client.acl.deleteRole(rest[0]);
        io.out.write(`ACL role ${rest[0]} successfully deleted\n`);
        return 0;
    }
  }
  throw new UsageError(`unknown subcommand "acl ${words.slice(0, 2).join(" ")}"; run drover acl --help`);
}

/** The `drover acl` command. */
export const command: Command = {
  name: "acl",
  summary: "Bootstrap ACLs and manage ACL tokens, policies and roles",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseJobArgs(argv, OPTIONS);
    if (args.positionals.length === 0) throw new UsageError("expected a subcommand: bootstrap, token, policy, role");
    const client = clientFromArgs(args, io);
    try {
      return await run(client, args.positionals, args, io);
    } catch (err) {
      return reportError(err, io, `acl ${args.positionals.slice(0, 2).join(" ")}`);
    } finally {
      await client.close();
    }
  },
};
