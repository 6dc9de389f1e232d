/**
 * A JSON Schema (draft 2020-12) of job files, generated from the zod
 * schemas, for editors and CI. It accepts a register request
 * (`{"Job": {...}}`) or a bare job; every block is a `$defs` entry named
 * after Nomad's api struct.
 */
import { z } from "zod";
import { DRIVER_CONFIG_SCHEMAS } from "./drivers/registry";
import * as schema from "./schema";

let cached: Record<string, unknown> | undefined;

let named = false;

/**
 * Gives each block schema an id in zod's global registry (where `.describe()`
 * keeps descriptions), so that blocks become `$defs` entries named after
 * Nomad's api structs. Runs once.
 */
function nameBlocks(): void {
  if (named) return;
  named = true;
  for (const [name, value] of Object.entries(schema)) {
    if (!name.endsWith("Schema") || !(value instanceof z.ZodType)) continue;
    if (value.type !== "object") continue;
    const id = name.slice(0, -"Schema".length);
    const meta = z.globalRegistry.get(value) ?? {};
    if (meta.id === undefined) z.globalRegistry.add(value, { ...meta, id });
  }
}

/**
 * Adds the built-in drivers' config schemas to the Task block, each applied
 * when `Driver` names that driver (`if`/`then`), so that an editor
 * completes and checks `Config` keys for docker, exec, raw_exec, java, qemu
 * and mock_driver; other drivers' Config stays free-form.
 */
function addDriverConfigs(generated: Record<string, unknown>): void {
  const task = (generated.$defs as Record<string, Record<string, unknown>> | undefined)?.Task;
  if (!task) return;
  task.allOf = Object.entries(DRIVER_CONFIG_SCHEMAS).map(([driver, config]) => {
    const { $schema: _ignored, ...body } = z.toJSONSchema(config, {
      target: "draft-2020-12",
      unrepresentable: "any",
      reused: "inline",
    }) as Record<string, unknown>;
    return {
      if: { properties: { Driver: { const: driver } }, required: ["Driver"] },
      then: { properties: { Config: { description: `The ${driver} driver's config (Nomad's documented keys).`, ...body } } },
    };
  });
}

/**
 * The JSON Schema of a job file: `{"Job": Job, ...register options}` or a
 * bare Job. Built once and cached; each call returns a deep copy.
 */
export function jobJsonSchema(): Record<string, unknown> {
  if (!cached) {
    const root = z
      .union([schema.JobRegisterRequestSchema, schema.JobSchema])
      .describe(
        'A Nomad job file: a register request {"Job": {...}} or a bare job, in the HTTP API\'s JSON shape (api.Job). Durations are integer nanoseconds.',
      );
    nameBlocks();
    const generated = z.toJSONSchema(root, { target: "draft-2020-12", unrepresentable: "any", reused: "inline" }) as Record<
      string,
      unknown
    >;
    addDriverConfigs(generated);
    cached = { ...generated, $id: "https://drover.dev/schemas/nomad-job.json", title: "Nomad job (drover)" };
  }
  return JSON.parse(JSON.stringify(cached)) as Record<string, unknown>;
}
