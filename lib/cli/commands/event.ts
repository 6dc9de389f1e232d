/**
 * `drover event <subcommand>`: Nomad's event stream. Each subcommand lives in
 * `event/<name>.ts`.
 */
import type { Subcommand } from "./subcommand";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover event --help` lists them. */
const EVENT_SUBCOMMANDS = ["stream"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
function loadEventSubcommand(name: string): Subcommand | undefined {
  if (!(EVENT_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./event/${name}`) as { subcommand: Subcommand }).subcommand;
}

/** The `drover event` command. */
export const command = subcommandGroup({
  name: "event",
  summary: "Follow the agent's event stream (/v1/event/stream)",
  subcommands: EVENT_SUBCOMMANDS,
  load: loadEventSubcommand,
  intro: "Reads Nomad's event stream. Subcommands:",
  outro: "Run `drover event <subcommand> --help` for its options.",
  nameWidth: 8,
});
