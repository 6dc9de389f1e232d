/**
 * The job fields whose values are user maps, lists or driver configuration
 * (`Config`, `Meta`, `Env`, …): the importer compares them as they are and
 * never looks inside them for zero values or removable keys.
 */
export const OPAQUE_KEYS: ReadonlySet<string> = new Set([
  "Config",
  "Meta",
  "Env",
  "CanaryMeta",
  "TaggedAddresses",
  "Policy",
  "GetterOptions",
  "GetterHeaders",
  "Header",
  "Proxy",
  "Labels",
  "Args",
  "Links",
  "ExtraClaims",
]);
