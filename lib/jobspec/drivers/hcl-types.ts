/**
 * zod schemas of the value types Nomad's task drivers declare for their
 * `config` block (hclspec: `string`, `number`, `bool`, `list(string)`,
 * `list(map(string))`, blocks and block lists), accepting what Nomad's
 * decoder accepts: cty converts between primitives (`"8080"` for a number,
 * `true` for a string), a map may be written as an object or, as HCL
 * decodes it, a list of objects; a block as an object or a list of one; and
 * a `${…}` interpolation, which the client resolves before decoding, stands
 * for any primitive.
 */
import { z } from "zod";

/** True for a string the client interpolates before decoding (`${NOMAD_PORT_http}`). */
function interpolated(v: unknown): boolean {
  return typeof v === "string" && v.includes("${");
}

/** hclspec `string`: a string, or a number or boolean (converted). */
export const hclString = z.union([z.string(), z.number(), z.boolean()], { error: "must be a string" });

/** hclspec `number`: a number, or a string holding one (converted), or an interpolation. */
export const hclNumber = z.union(
  [z.number(), z.string().refine((s) => interpolated(s) || (s.trim() !== "" && Number.isFinite(Number(s))), { error: "must be a number" })],
  { error: "must be a number" },
);

/** hclspec `bool`: a boolean, or `"true"`/`"false"` (converted), or an interpolation. */
export const hclBool = z.union(
  [z.boolean(), z.string().refine((s) => interpolated(s) || s === "true" || s === "false", { error: "must be a boolean" })],
  { error: "must be a boolean" },
);

/** hclspec `list(string)`. */
export const hclStringList = z.array(hclString, { error: "must be a list of strings" });

/** A Go duration string (`"5m"`), as the drivers read `image_pull_timeout`, `run_for`, … */
export const hclDuration = z
  .string({ error: 'must be a duration string such as "30s"' })
  .refine(
    (s) => interpolated(s) || /^(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$|^0$/.test(s.trim()),
    { error: 'must be a duration such as "30s" or "1h30m"' },
  );

/** hclspec `list(map(T))`: an object of T, or a list of such objects (as HCL decodes a map). */
export function hclMap<T extends z.ZodType>(value: T) {
  const map = z.record(z.string(), value);
  return z.union([map, z.array(map)], { error: "must be a map (an object)" });
}

/** A block (hclspec `NewBlock`): an object, or a list of one object (as HCL decodes a block). */
export function hclBlock<T extends z.ZodType>(body: T) {
  return z.preprocess((v) => (Array.isArray(v) && v.length === 1 ? v[0] : v), body);
}

/** A repeated block (hclspec `NewBlockList`): a list of objects, or one object. */
export function hclBlockList<T extends z.ZodType>(body: T) {
  return z.preprocess(
    (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? [v] : v),
    z.array(body, { error: "must be a list of blocks" }),
  );
}
