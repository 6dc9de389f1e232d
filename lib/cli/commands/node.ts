/**
 * `drover node <subcommand>`: client nodes, as `nomad node …` (status,
 * drain, eligibility, meta read|apply). Each subcommand lives in
 * `node/<name>.ts`.
 */
import type { Subcommand } from "./subcommand";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover node --help` lists them (`meta` ones are two words, as Nomad's). */
const NODE_SUBCOMMANDS = ["status", "drain", "eligibility", "meta read", "meta apply"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
function loadNodeSubcommand(name: string): Subcommand | undefined {
  if (!(NODE_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./node/${name.replace(" ", "-")}`) as { subcommand: Subcommand }).subcommand;
}

/** The `drover node` command. */
export const command = subcommandGroup({
  name: "node",
  summary: "Show client nodes, drain them, mark them (in)eligible, read and set their metadata",
  subcommands: NODE_SUBCOMMANDS,
  load: loadNodeSubcommand,
  intro: "Client nodes, as `nomad node …` has them. Subcommands:",
  outro: "Run `drover node <subcommand> --help` for its options.",
  nameWidth: 12,
  resolve: ([first, second, ...rest]: string[]) =>
    first === "meta" && second !== undefined
      ? { name: `meta ${second}`, rest }
      : { name: first, rest: second === undefined ? rest : [second, ...rest] },
});
