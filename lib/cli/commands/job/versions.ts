/** `drover job versions JOB`: `drover job history` under the name of the API path (Nomad has no `job versions` command). */
import { historyCommand } from "./history";

/** The `drover job versions` subcommand. */
export const subcommand = historyCommand("versions");
