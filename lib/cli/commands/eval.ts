/**
 * `drover eval <subcommand>`: evaluations, as `nomad eval …`. Each
 * subcommand lives in `eval/<name>.ts`.
 */
import type { Subcommand } from "./subcommand";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover eval --help` lists them. */
const EVAL_SUBCOMMANDS = ["list", "status"] as const;

/** Loads one subcommand, or returns undefined for an unknown name. */
function loadEvalSubcommand(name: string): Subcommand | undefined {
  if (!(EVAL_SUBCOMMANDS as readonly string[]).includes(name)) return undefined;
  return (require(`./eval/${name}`) as { subcommand: Subcommand }).subcommand;
}

/** The `drover eval` command. */
export const command = subcommandGroup({
  name: "eval",
  summary: "List evaluations and show one's status and placement failures",
  subcommands: EVAL_SUBCOMMANDS,
  load: loadEvalSubcommand,
  intro: "Evaluations, as `nomad eval …` shows them. Subcommands:",
  outro: "Run `drover eval <subcommand> --help` for its options.",
  nameWidth: 8,
});
