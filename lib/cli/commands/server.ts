/**
 * `drover server <subcommand>`: the servers' gossip membership, as
 * `nomad server …`. Each subcommand lives in `server/<name>.ts`.
 */
import type { Subcommand } from "./subcommand";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover server --help` lists them. */
const SERVER_SUBCOMMANDS = ["members", "join", "force-leave"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
function loadServerSubcommand(name: string): Subcommand | undefined {
  if (!(SERVER_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./server/${name}`) as { subcommand: Subcommand }).subcommand;
}

/** The `drover server` command. */
export const command = subcommandGroup({
  name: "server",
  summary: "List the servers, join servers, remove failed ones",
  subcommands: SERVER_SUBCOMMANDS,
  load: loadServerSubcommand,
  intro: "The servers' gossip membership, as `nomad server …` has it. Subcommands:",
  outro: "Run `drover server <subcommand> --help` for its options.",
  nameWidth: 12,
});
