/**
 * `drover event <subcommand>`: Nomad's event stream. Each subcommand lives in
 * `event/<name>.ts`.
 */
import type { JobSubcommand } from "./job/common";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover event --help` lists them. */
export const EVENT_SUBCOMMANDS = ["stream"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
export function loadEventSubcommand(name: string): JobSubcommand | undefined {
  if (!(EVENT_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./event/${name}`) as { subcommand: JobSubcommand }).subcommand;
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
