/**
 * `drover var <subcommand>`: Nomad Variables, as `nomad var …` works with
 * them. Each subcommand lives in `var/<name>.ts`.
 */
import * as path from "node:path";
import { subcommandGroup } from "./subcommand-group";

/** The subcommands, in the order `drover var --help` lists them. */
const VAR_SUBCOMMANDS = ["get", "put", "list", "purge", "lock"] as const;

/** The `drover var` command. */
export const command = subcommandGroup({
  name: "var",
  summary: "Read, write, list, purge and lock Nomad Variables",
  subcommands: VAR_SUBCOMMANDS,
  dir: path.join(__dirname, "var"),
  intro: "Works with Nomad Variables by path, as `nomad var …` does. Subcommands:",
  outro: "Run `drover var <subcommand> --help` for its options.",
  nameWidth: 6,
});
