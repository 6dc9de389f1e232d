/**
 * `drover node <subcommand>`: client nodes, as `nomad node …` (status,
 * drain, eligibility, meta read|apply). Each subcommand lives in
 * `node/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover node --help` lists them (`meta` ones are two words, as Nomad's). */
const NODE_SUBCOMMANDS = ["status", "drain", "eligibility", "meta read", "meta apply"] as const;

/** The `drover node` command. */
export const command = subcommandGroup({
  name: "node",
  summary: "Show client nodes, drain them, mark them (in)eligible, read and set their metadata",
  subcommands: NODE_SUBCOMMANDS,
  dir: path.join(__dirname, "node"),
  intro: "Client nodes, as `nomad node …` has them. Subcommands:",
  outro: "Run `drover node <subcommand> --help` for its options.",
  nameWidth: 12,
});
