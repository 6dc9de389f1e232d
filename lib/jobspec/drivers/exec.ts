/**
 * The `config` blocks of Nomad's `exec`, `raw_exec` and `java` drivers
 * (`taskConfigSpec` in drivers/exec, drivers/rawexec, drivers/java; their
 * documentation pages list the same keys).
 */
import { z } from "zod";
import { hclMap, hclNumber, hclString, hclStringList } from "./hcl-types";

/** The exec driver's task config: `command` is required. */
export const ExecConfigSchema = z
  .object({
    command: hclString.describe("The program to run, inside the task's chroot (required)."),
    args: hclStringList.optional(),
    pid_mode: z.enum(["private", "host"], { error: 'must be "private" or "host"' }).optional(),
    ipc_mode: z.enum(["private", "host"], { error: 'must be "private" or "host"' }).optional(),
    cap_add: hclStringList.optional(),
    cap_drop: hclStringList.optional(),
    work_dir: hclString.optional(),
  })
  .strict();

/** The raw_exec driver's task config: `command` is required. */
export const RawExecConfigSchema = z
  .object({
    command: hclString.describe("The program to run (required)."),
    args: hclStringList.optional(),
    cgroup_v2_override: hclString.optional(),
    cgroup_v1_override: hclMap(hclString).optional(),
    oom_score_adj: hclNumber.optional(),
    work_dir: hclString.optional(),
    denied_envvars: hclStringList.optional(),
  })
  .strict();

/** The java driver's task config: `class` or `jar_path` is required. */
export const JavaConfigSchema = z
  .object({
    class: hclString.optional().describe("The main class (with class_path)."),
    class_path: hclString.optional(),
    jar_path: hclString.optional().describe("The jar to run."),
    jvm_options: hclStringList.optional(),
    args: hclStringList.optional(),
    pid_mode: z.enum(["private", "host"], { error: 'must be "private" or "host"' }).optional(),
    ipc_mode: z.enum(["private", "host"], { error: 'must be "private" or "host"' }).optional(),
    cap_add: hclStringList.optional(),
    cap_drop: hclStringList.optional(),
    work_dir: hclString.optional(),
  })
  .strict()
  .refine((c) => c.class !== undefined || c.jar_path !== undefined, { error: 'one of "class" or "jar_path" is required', path: ["class"] });
