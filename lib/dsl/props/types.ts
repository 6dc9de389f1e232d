/**
 * The shapes of DSL props as the run-time checks see them: derived from the
 * TypeScript declarations by scripts/prop-specs.ts (specs.generated.ts).
 */

/** The type of one prop. */
export type PropType =
  | { readonly k: "string" }
  | { readonly k: "number" }
  | { readonly k: "boolean" }
  | { readonly k: "any" }
  | { readonly k: "function" }
  | { readonly k: "duration" }
  | { readonly k: "literal"; readonly values: readonly (string | number)[] }
  | { readonly k: "array"; readonly of: PropType }
  | { readonly k: "record"; readonly of: PropType }
  | { readonly k: "union"; readonly of: readonly PropType[] }
  | { readonly k: "instance"; readonly name: string }
  | { readonly k: "ref"; readonly name: string }
  | { readonly k: "object"; readonly props: Readonly<Record<string, PropType>>; readonly required: readonly string[] };

/** The props of one interface: each prop's type, and which are required. */
export interface PropSpec {
  /** Every prop, by its camelCase name. */
  readonly props: Readonly<Record<string, PropType>>;
  /** The props that must be set. */
  readonly required: readonly string[];
}
