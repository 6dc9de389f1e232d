/**
 * `drover event <subcommand>`: Nomad's event stream. Each subcommand lives in
 * `event/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover event --help` lists them. */
const EVENT_SUBCOMMANDS = ["stream"] as const;

/** The `drover event` command. */
export const command = subcommandGroup({
  name: "event",
  summary: "Follow the agent's event stream (/v1/event/stream)",
  subcommands: EVENT_SUBCOMMANDS,
  dir: path.join(__dirname, "event"),
  intro: "Reads Nomad's event stream. Subcommands:",
  outro: "Run `drover event <subcommand> --help` for its options.",
  nameWidth: 8,
});
