/**
 * Response and request types of Nomad's HTTP API.
 *
 * These files are the single definition of Nomad's wire format in drover.
 * lib/api stays independent of the included runtime (it must work against a
 * real Nomad), so nothing here imports from lib/runtime; the runtime imports
 * these types instead of restating them. Where a server struct is stricter
 * than the wire view (fields that are never null or always set), the
 * runtime derives it from the type here (`Required`, `Omit`, `NonNullable`,
 * or `extends` with narrowed fields), and field doc comments live here.
 * Endpoint classes in lib/api/endpoints import their response types from
 * these files rather than declaring them inline.
 */
export * from "./agent";
export * from "./allocation";
export * from "./client";
export * from "./deployment";
export * from "./diff";
export * from "./evaluation";
export * from "./job";
export * from "./metric";
export * from "./node";
export * from "./scaling";
export * from "./service";
export * from "./acl";
export * from "./event";
export * from "./search";
export * from "./operator";
export * from "./variable";
