/**
 * The syntax tree of HCL2 native syntax (hashicorp/hcl `hclsyntax`): a body
 * of attributes and blocks, and the expression nodes.
 */
import type { Range } from "./diagnostics";

/** A body: the attributes and blocks in a file or between a block's braces. */
export interface Body {
  /** Attributes in source order. */
  attributes: Attribute[];
  /** Blocks in source order. */
  blocks: Block[];
  /** The whole body. */
  range: Range;
}

/** `name = expression`. */
export interface Attribute {
  /** The attribute name. */
  name: string;
  /** The value expression. */
  expr: Expression;
  /** Where the name is. */
  nameRange: Range;
  /** The whole attribute. */
  range: Range;
}

/** `type "label" label2 { body }`. */
export interface Block {
  /** The block type (the first identifier). */
  type: string;
  /** The labels (quoted strings or identifiers). */
  labels: string[];
  /** Where each label is. */
  labelRanges: Range[];
  /** The body between the braces. */
  body: Body;
  /** Where the type name is. */
  typeRange: Range;
  /** The type and labels (what hcl calls DefRange). */
  defRange: Range;
  /** The whole block. */
  range: Range;
}

/** One step of a traversal: `.name`, `[literal]`. */
export type TraversalStep = { kind: "attr"; name: string; range: Range } | { kind: "index"; key: string | number; range: Range };

/** A template part: a literal, an interpolation, or an if/for directive. */
export type TemplatePart =
  | { kind: "literal"; value: string; range: Range }
  | { kind: "interp"; expr: Expression; range: Range }
  | { kind: "if"; cond: Expression; then: TemplatePart[]; else: TemplatePart[]; range: Range }
  | { kind: "for"; keyVar?: string; valueVar: string; coll: Expression; body: TemplatePart[]; range: Range };

/** An object constructor item. A key that is a bare identifier is `{kind:"literal"}` as HCL treats it. */
export interface ObjectItem {
  /** The key expression. */
  key: Expression;
  /** The value expression. */
  value: Expression;
}

/** An expression node. */
export type Expression =
  | { type: "literal"; value: null | boolean | number | string; range: Range }
  | { type: "template"; parts: TemplatePart[]; heredoc: boolean; range: Range }
  | { type: "traversal"; root: string; steps: TraversalStep[]; range: Range }
  | { type: "getattr"; target: Expression; name: string; range: Range }
  | { type: "index"; target: Expression; key: Expression; range: Range }
  | { type: "splat"; source: Expression; each: Expression; range: Range }
  | { type: "splatItem"; range: Range }
  | { type: "call"; name: string; args: Expression[]; expandFinal: boolean; range: Range; nameRange: Range }
  | { type: "tuple"; items: Expression[]; range: Range }
  | { type: "object"; items: ObjectItem[]; range: Range }
  | { type: "unary"; op: "!" | "-"; operand: Expression; range: Range }
  | { type: "binary"; op: string; left: Expression; right: Expression; range: Range }
  | { type: "conditional"; cond: Expression; then: Expression; else: Expression; range: Range }
  | { type: "paren"; expr: Expression; range: Range }
  | {
      type: "for";
      keyVar?: string;
      valueVar: string;
      coll: Expression;
      keyExpr?: Expression;
      valueExpr: Expression;
      cond?: Expression;
      group: boolean;
      object: boolean;
      range: Range;
    };
