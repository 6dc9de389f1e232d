/** The `config` block of Nomad's `qemu` driver (`taskConfigSpec` in drivers/qemu). `image_path` is required. */
import { z } from "zod";
import { hclBool, hclMap, hclNumber, hclString, hclStringList } from "./hcl-types";

/** The qemu driver's task config. */
export const QemuConfigSchema = z
  .object({
    image_path: hclString.describe("The VM image, relative to the task directory (required)."),
    emulator: hclString.optional(),
    machine_type: hclString.optional(),
    drive_interface: hclString.optional(),
    accelerator: hclString.optional(),
    graceful_shutdown: hclBool.optional(),
    guest_agent: hclBool.optional(),
    args: hclStringList.optional(),
    port_map: hclMap(hclNumber).optional(),
  })
  .strict();
