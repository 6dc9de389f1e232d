/**
 * lib/hcl: an HCL2 native-syntax parser and evaluator (hashicorp/hcl v2
 * `hclsyntax`): lexer, parser, syntax tree, expression evaluator with a
 * function library, and diagnostics with file, line and column.
 */
export * from "./diagnostics";
export type * from "./ast";
export { parseHcl, parseHclExpression } from "./parser";
export type { ParseResult } from "./parser";
export * from "./values";
export { evaluate, evaluateExpression, FunctionError } from "./evaluate";
export type { EvalContext, HclFunction } from "./evaluate";
export { standardFunctions, formatString } from "./functions";
export type { FunctionOptions } from "./functions";
export * from "./types";
export { traversalsOf } from "./walk";
export { parseJsonNodes, jsonExpression } from "./json";
export type { JsonNode } from "./json";
export { parseTemplateText } from "./parser";
