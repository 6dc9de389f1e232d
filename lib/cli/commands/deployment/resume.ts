/** `drover deployment resume DEPLOYMENT`: as `nomad deployment resume`. */
import { resume } from "./pause";

/** The `drover deployment resume` subcommand. */
export const subcommand = resume;
