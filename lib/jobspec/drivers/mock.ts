/** The `config` block of Nomad's `mock_driver` (`taskConfigSpec` in drivers/mock), which drover's runtime implements. */
import { z } from "zod";
import { hclBlock, hclBool, hclDuration, hclNumber, hclString } from "./hcl-types";

const outcome = {
  run_for: hclDuration.optional().describe("How long the task runs before it exits."),
  exit_code: hclNumber.optional(),
  exit_signal: hclNumber.optional(),
  exit_err_msg: hclString.optional(),
  signal_error: hclString.optional(),
  stdout_string: hclString.optional(),
  stdout_repeat: hclNumber.optional(),
  stdout_repeat_duration: hclDuration.optional(),
  stderr_string: hclString.optional(),
  stderr_repeat: hclNumber.optional(),
  stderr_repeat_duration: hclDuration.optional(),
};

/** The mock driver's task config. */
export const MockDriverConfigSchema = z
  .object({
    start_error: hclString.optional(),
    start_error_recoverable: hclBool.optional(),
    start_block_for: hclDuration.optional(),
    kill_after: hclDuration.optional(),
    plugin_exit_after: hclDuration.optional(),
    driver_ip: hclString.optional(),
    driver_advertise: hclBool.optional(),
    driver_port_map: hclString.optional(),
    ...outcome,
    exec_command: hclBlock(z.object(outcome).strict()).optional(),
  })
  .strict();
