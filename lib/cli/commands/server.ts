/**
 * `drover server <subcommand>`: the servers' gossip membership, as
 * `nomad server …`. Each subcommand lives in `server/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover server --help` lists them. */
const SERVER_SUBCOMMANDS = ["members", "join", "force-leave"] as const;

/** The `drover server` command. */
export const command = subcommandGroup({
  name: "server",
  summary: "List the servers, join servers, remove failed ones",
  subcommands: SERVER_SUBCOMMANDS,
  dir: path.join(__dirname, "server"),
  intro: "The servers' gossip membership, as `nomad server …` has it. Subcommands:",
  outro: "Run `drover server <subcommand> --help` for its options.",
  nameWidth: 12,
});
