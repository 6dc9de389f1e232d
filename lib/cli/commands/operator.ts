/**
 * `drover operator <subcommand>`: cluster-wide settings, as `nomad operator …`.
 * Each subcommand lives in `operator/<name>.ts`.
 */
import type { Subcommand } from "./subcommand";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands (two words, as Nomad's), in the order `drover operator --help` lists them. */
const OPERATOR_SUBCOMMANDS = ["scheduler get-config", "scheduler set-config"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
function loadOperatorSubcommand(name: string): Subcommand | undefined {
  if (!(OPERATOR_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./operator/${name.replace(" ", "-")}`) as { subcommand: Subcommand }).subcommand;
}

/** The `drover operator` command. */
export const command = subcommandGroup({
  name: "operator",
  summary: "Read and change the scheduler configuration",
  subcommands: OPERATOR_SUBCOMMANDS,
  load: loadOperatorSubcommand,
  intro: "Cluster-wide settings, as `nomad operator …` has them. Subcommands:",
  outro: "Run `drover operator scheduler <subcommand> --help` for its options.",
  nameWidth: 21,
  resolve: ([first, second, ...rest]: string[]) =>
    first === "scheduler" && second !== undefined
      ? { name: `scheduler ${second}`, rest }
      : { name: first, rest: second === undefined ? rest : [second, ...rest] },
});
