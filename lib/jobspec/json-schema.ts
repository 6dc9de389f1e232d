/**
 * A JSON Schema (draft 2020-12) of job files, generated from the zod
 * schemas, for editors and CI. It accepts a register request
 * (`{"Job": {...}}`) or a bare job; every block is a `$defs` entry named
 * after Nomad's api struct.
 */
import { z } from "zod";
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
    const def = (value as unknown as { _zod: { def: { type: string } } })._zod.def;
    if (def.type !== "object") continue;
    const id = name.slice(0, -"Schema".length);
    const meta = z.globalRegistry.get(value) ?? {};
    if (meta.id === undefined) z.globalRegistry.add(value, { ...meta, id });
  }
}

/**
 * The JSON Schema of a job file: `{"Job": Job, ...register options}` or a
 * bare Job. Built once and cached; each call returns a deep copy.
 */
export function jobJsonSchema(): Record<string, unknown> {
  if (!cached) {
    const root = z.union([schema.JobRegisterRequestSchema, schema.JobSchema]).describe("A Nomad job file: a register request {\"Job\": {...}} or a bare job, in the HTTP API's JSON shape (api.Job). Durations are integer nanoseconds.");
    nameBlocks();
    const generated = z.toJSONSchema(root, { target: "draft-2020-12", unrepresentable: "any", reused: "inline" }) as Record<string, unknown>;
    cached = { ...generated, $id: "https://drover.dev/schemas/nomad-job.json", title: "Nomad job (drover)" };
  }
  return JSON.parse(JSON.stringify(cached)) as Record<string, unknown>;
}
