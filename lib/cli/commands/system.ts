/**
 * `drover system <subcommand>`: garbage collection and job summary
 * reconciliation, as `nomad system …`. Each subcommand lives in
 * `system/<name>.ts`.
 */
import type { Subcommand } from "./subcommand";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands (the second in two words, as Nomad's), in the order `drover system --help` lists them. */
const SYSTEM_SUBCOMMANDS = ["gc", "reconcile summaries"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
function loadSystemSubcommand(name: string): Subcommand | undefined {
  if (!(SYSTEM_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./system/${name.replace(" ", "-")}`) as { subcommand: Subcommand }).subcommand;
}

/** The `drover system` command. */
export const command = subcommandGroup({
  name: "system",
  summary: "Run garbage collection or reconcile job summaries now",
  subcommands: SYSTEM_SUBCOMMANDS,
  load: loadSystemSubcommand,
  intro: "Cluster maintenance, as `nomad system …`. Subcommands:",
  outro: "Run `drover system <subcommand> --help` for its options.",
  nameWidth: 19,
  resolve: ([first, second, ...rest]: string[]) =>
    first === "reconcile" && second !== undefined
      ? { name: `reconcile ${second}`, rest }
      : { name: first, rest: second === undefined ? rest : [second, ...rest] },
});
