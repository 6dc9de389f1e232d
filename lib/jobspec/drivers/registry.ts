/** The config schema of each built-in driver, by driver name. */
import type { z } from "zod";
import { DockerConfigSchema } from "./docker";
import { ExecConfigSchema, JavaConfigSchema, RawExecConfigSchema } from "./exec";
import { MockDriverConfigSchema } from "./mock";
import { QemuConfigSchema } from "./qemu";

/** The config schema of each built-in driver, by driver name. */
export const DRIVER_CONFIG_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  docker: DockerConfigSchema,
  exec: ExecConfigSchema,
  raw_exec: RawExecConfigSchema,
  java: JavaConfigSchema,
  qemu: QemuConfigSchema,
  mock_driver: MockDriverConfigSchema,
};
