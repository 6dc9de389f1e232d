/**
 * `drover var <subcommand>`: Nomad Variables, as `nomad var …` works with
 * them. Each subcommand lives in `var/<name>.ts`.
 */
import type { Subcommand } from "./subcommand";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover var --help` lists them. */
const VAR_SUBCOMMANDS = ["get", "put", "list", "purge", "lock"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
function loadVarSubcommand(name: string): Subcommand | undefined {
  if (!(VAR_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./var/${name}`) as { subcommand: Subcommand }).subcommand;
}

/** The `drover var` command. */
export const command = subcommandGroup({
  name: "var",
  summary: "Read, write, list, purge and lock Nomad Variables",
  subcommands: VAR_SUBCOMMANDS,
  load: loadVarSubcommand,
  intro: "Works with Nomad Variables by path, as `nomad var …` does. Subcommands:",
  outro: "Run `drover var <subcommand> --help` for its options.",
  nameWidth: 6,
});
