/** `drover job status`: the same as `drover status`, as `nomad job status` is `nomad status` for jobs. */
import type { CommandIO } from "../../command";
import { loadCommand } from "../../main";
import type { Subcommand } from "../subcommand";

/** The `drover job status` subcommand: hands its arguments to `drover status`. */
export const subcommand: Subcommand = {
  name: "status",
  summary: "Show a job's status (the same as drover status)",
  get usage(): string {
    return (
      loadCommand("status")?.usage ??
      "Usage: drover job status [options] [JOB]\n\nThe same as `drover status`, which this build of drover does not have."
    );
  },
  async run(argv: string[], io: CommandIO): Promise<number> {
    const status = loadCommand("status");
    if (!status) {
      io.err.write("drover job status: `drover status` is not available in this build of drover\n");
      return 1;
    }
    return status.run(argv, io);
  },
};
