/**
 * Decodes the body of a `job` block into the api.Job JSON shape that
 * lib/jobspec validates, as jobspec2 does with gohcl and Nomad's api
 * structs: the block and attribute names of each struct (names.ts), labels,
 * durations, free-form driver config, `dynamic` blocks, the constraint and
 * affinity shorthands, env/meta as blocks or maps, task scaling policies,
 * and the job/group-level vault, secret and task blocks.
 */
import type { Attribute, Block, Body, EvalContext, ObjectValue, Range, Value } from "../../hcl";
import { errorAt, evaluate, hasKey, isObject, numberToString, setKey, sortedEntries, typeName } from "../../hcl";
import { parseGoDuration } from "../duration";
import type { BlockModel, FieldKind, ScalarSpec } from "../model";
import { findBlockModel as findModelInTree } from "../model";
import { editDistance } from "../keys";
import { HCL_HIDDEN_KEYS, HCL_NAME_EXCEPTIONS, LABEL_KEYS, OPAQUE_BLOCK_KEYS, OPAQUE_RAW_BLOCKS, pascalCase, snakeCase } from "./names";
import { markBlock, markKey } from "./positions";
import type { Diags } from "./variables";

/** A JSON object under construction. */
export type Json = Record<string, unknown>;

/** A block together with the context its body is evaluated in (dynamic blocks add their iterator). */
interface ScopedBlock {
  block: Block;
  ctx: EvalContext;
}

function where(r: Range): string {
  return `${r.file}:${r.start.line},${r.start.column}`;
}

function put(o: Json, key: string, value: unknown, range?: Range): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  if (range) markKey(o, key, range);
}

const modelCache = new Map<string, BlockModel | undefined>();

/** A block model by name, looked up once. */
function findBlockModel(name: string): BlockModel | undefined {
  if (!modelCache.has(name)) modelCache.set(name, findModelInTree(name));
  return modelCache.get(name);
}

/** Repeated blocks whose HCL name is plural, as Nomad's hcl tags spell them (the others take the singular: `constraint`, `service`...). */
const PLURAL_BLOCK_NAMES: ReadonlySet<string> = new Set(["ReservedPorts", "Upstreams"]);

/** True when `key` is a repeated block that HCL names in the singular, so its plural spelling is not accepted. */
function pluralNotAccepted(model: BlockModel, key: string): boolean {
  const f = model.fields.get(key);
  return !!f && (f.kind === "list" || f.kind === "map") && key.endsWith("s") && !PLURAL_BLOCK_NAMES.has(key);
}

const CONSTRAINT_SHORTHANDS = ["version", "semver", "regexp", "set_contains", "set_contains_all", "set_contains_any"];

/** Decodes job bodies; collects diagnostics in `diags`. */
export class JobDecoder {
  constructor(private readonly diags: Diags) {}

  /** Evaluates an expression, recording a diagnostic and returning undefined on error. */
  value(attr: Attribute, ctx: EvalContext): Value | undefined {
    return this.diags.guard(() => evaluate(attr.expr, ctx));
  }

  private readonly expanded = new WeakMap<Body, { ctx: EvalContext; blocks: ScopedBlock[] }>();

  /** The blocks of a body with `dynamic` blocks expanded (hcl's dynblock extension); expanded once per body and context. */
  blocksOf(body: Body, ctx: EvalContext): ScopedBlock[] {
    const hit = this.expanded.get(body);
    if (hit && hit.ctx === ctx) return hit.blocks;
    const blocks = this.expandBlocks(body, ctx);
    this.expanded.set(body, { ctx, blocks });
    return blocks;
  }

  private expandBlocks(body: Body, ctx: EvalContext): ScopedBlock[] {
    const out: ScopedBlock[] = [];
    for (const b of body.blocks) {
      if (b.type !== "dynamic") {
        out.push({ block: b, ctx });
        continue;
      }
      if (b.labels.length !== 1) {
        this.diags.add(
          errorAt(b.defRange, "Invalid dynamic block", "A dynamic block must have one label: the type of the blocks it generates."),
        );
        continue;
      }
      const forEach = b.body.attributes.find((a) => a.name === "for_each");
      const content = b.body.blocks.filter((x) => x.type === "content");
      if (!forEach || content.length !== 1) {
        this.diags.add(
          errorAt(b.defRange, "Invalid dynamic block", 'A dynamic block needs a "for_each" argument and exactly one "content" block.'),
        );
        continue;
      }
      for (const a of b.body.attributes)
        if (!["for_each", "iterator", "labels"].includes(a.name))
          this.diags.add(errorAt(a.nameRange, "Unsupported argument", `An argument named ${JSON.stringify(a.name)} is not expected here.`));
      const iterAttr = b.body.attributes.find((a) => a.name === "iterator");
      let iterName = b.labels[0];
      if (iterAttr) {
        if (iterAttr.expr.type !== "traversal" || iterAttr.expr.steps.length) {
          this.diags.add(errorAt(iterAttr.expr.range, "Invalid dynamic iterator name", "The iterator must be a single identifier."));
          continue;
        }
        iterName = iterAttr.expr.root;
      }
      const coll = this.value(forEach, ctx);
      if (coll === undefined) continue;
      let entries: [Value, Value][];
      if (Array.isArray(coll)) entries = coll.map((v, i) => [i, v]);
      else if (isObject(coll)) entries = sortedEntries(coll);
      else {
        this.diags.add(
          errorAt(
            forEach.expr.range,
            "Invalid dynamic for_each value",
            `Cannot use a ${typeName(coll)} value in for_each. An iterable collection is required.`,
          ),
        );
        continue;
      }
      const labelsAttr = b.body.attributes.find((a) => a.name === "labels");
      for (const [key, value] of entries) {
        const iter: ObjectValue = {};
        setKey(iter, "key", key);
        setKey(iter, "value", value);
        const variables = { ...ctx.variables };
        Object.defineProperty(variables, iterName, { value: iter, enumerable: true, writable: true, configurable: true });
        const inner: EvalContext = { ...ctx, variables };
        let labels: string[] = [];
        if (labelsAttr) {
          const lv = this.value(labelsAttr, inner);
          if (!Array.isArray(lv) || lv.some((l) => typeof l !== "string")) {
            this.diags.add(errorAt(labelsAttr.expr.range, "Invalid dynamic block label", "The labels must be a list of strings."));
            continue;
          }
          labels = lv as string[];
        }
        const c = content[0];
        out.push({
          block: {
            ...c,
            type: b.labels[0],
            labels,
            labelRanges: labels.map(() => b.labelRanges[0]),
            typeRange: b.labelRanges[0],
            defRange: b.defRange,
          },
          ctx: inner,
        });
      }
    }
    return out;
  }

  /** The JSON key an HCL name stands for in `model`, or undefined. */
  resolveKey(model: BlockModel, name: string, isBlock: boolean): string | undefined {
    const exc = HCL_NAME_EXCEPTIONS[model.name]?.[name];
    if (exc) return exc;
    if (name !== name.toLowerCase()) return undefined;
    const norm = name.replace(/_/g, "");
    let key = model.byLowerCase.get(norm);
    if (key && isBlock && pluralNotAccepted(model, key)) key = undefined;
    if (!key && isBlock)
      key = model.byLowerCase.get(norm + "s") ?? (norm.endsWith("y") ? model.byLowerCase.get(norm.slice(0, -1) + "ies") : undefined);
    if (key && (HCL_HIDDEN_KEYS[model.name] ?? []).includes(key)) return undefined;
    // The field a block's label sets is not also an argument (`task "x" { name = ... }` is unsupported, as in Nomad).
    if (key && key === LABEL_KEYS[model.name]) return undefined;
    return key;
  }

  /** The HCL names `model` accepts (for "Did you mean" suggestions). */
  hclNames(model: BlockModel): string[] {
    const exc = HCL_NAME_EXCEPTIONS[model.name] ?? {};
    const renamed = new Set(Object.values(exc));
    const hidden = HCL_HIDDEN_KEYS[model.name] ?? [];
    const names = new Set(Object.keys(exc));
    for (const key of model.keys) {
      if (renamed.has(key) || hidden.includes(key) || key === LABEL_KEYS[model.name]) continue;
      const f = model.fields.get(key);
      const snake = snakeCase(key);
      names.add(f && f.kind === "list" && snake.endsWith("s") ? snake.replace(/ies$/, "y").replace(/s$/, "") : snake);
    }
    return [...names];
  }

  /** " Did you mean "x"?" for a near name, as hcl's nameSuggestion does (edit distance below 3), or "". */
  suggestion(model: BlockModel, name: string): string {
    let best: string | undefined;
    let bestD = 3;
    for (const n of this.hclNames(model)) {
      const d = editDistance(name, n, 3);
      if (d < bestD) {
        best = n;
        bestD = d;
      }
    }
    return best ? ` Did you mean ${JSON.stringify(best)}?` : "";
  }

  /** Converts a value to a scalar of the given spec, or records a diagnostic. */
  scalar(v: Value, spec: ScalarSpec, range: Range): unknown {
    const bad = (want: string): undefined => {
      this.diags.add(
        errorAt(
          range,
          "Unsuitable value type",
          `Unsuitable value: ${want} required, but found ${typeName(v)}${typeof v === "string" ? ` ${JSON.stringify(v)}` : ""}.`,
        ),
      );
      return undefined;
    };
    switch (spec.type) {
      case "string":
      case "enum":
        if (typeof v === "string") return v;
        if (typeof v === "number") return numberToString(v);
        if (typeof v === "boolean") return v ? "true" : "false";
        return bad("string");
      case "boolean":
        if (typeof v === "boolean") return v;
        if (v === "true" || v === "false") return v === "true";
        return bad("bool");
      case "int":
      case "number": {
        let n: number | undefined;
        if (typeof v === "number") n = v;
        else if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) n = Number(v);
        if (n === undefined) return bad("number");
        if (spec.type === "int" && !Number.isInteger(n)) {
          this.diags.add(errorAt(range, "Unsuitable value type", `Unsuitable value: a whole number is required, but found ${n}.`));
          return undefined;
        }
        return n;
      }
      case "duration": {
        if (typeof v === "number") return Math.trunc(v);
        if (typeof v === "string") {
          try {
            return parseGoDuration(v);
          } catch (err) {
            this.diags.add(errorAt(range, "Unsuitable value type", `Unsuitable duration value: ${(err as Error).message}`));
            return undefined;
          }
        }
        return bad("duration string");
      }
    }
  }

  /** A map of strings (or of string lists) from an attribute value. */
  stringMap(v: Value, valueList: boolean, range: Range): Json | undefined {
    if (!isObject(v)) {
      this.diags.add(errorAt(range, "Unsuitable value type", `Unsuitable value: a map is required, but found ${typeName(v)}.`));
      return undefined;
    }
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
      if (valueList) {
        if (!Array.isArray(x)) {
          this.diags.add(
            errorAt(
              range,
              "Unsuitable value type",
              `Unsuitable value: ${JSON.stringify(k)}: list of string required, but found ${typeName(x)}.`,
            ),
          );
          continue;
        }
        put(
          out,
          k,
          x.map((i) => this.scalar(i, { type: "string" }, range)),
        );
      } else {
        if (x === null) continue;
        put(out, k, this.scalar(x, { type: "string" }, range));
      }
    }
    return out;
  }

  /**
   * A free-form map (driver config, scaling policy) as jobspec2 builds it
   * (`jobspec2/hclutil/blockattrs.go`, matching HCL1): nested blocks become
   * lists of objects, each label a key holding a one-element list, and an
   * attribute written as an object literal becomes a one-element list.
   */
  freeform(body: Body, ctx: EvalContext): Json {
    const out: Json = {};
    for (const a of body.attributes) {
      const v = this.value(a, ctx);
      if (v !== undefined && v !== null) put(out, a.name, a.expr.type === "object" ? [v] : v, a.range);
    }
    const groups = new Map<string, unknown[]>();
    for (const { block, ctx: bctx } of this.blocksOf(body, ctx)) {
      markKey(out, block.type, block.defRange);
      let v: unknown = this.freeform(block.body, bctx);
      markBlock(v as Json, block.defRange);
      for (let i = block.labels.length - 1; i >= 0; i--) {
        const o: Json = {};
        put(o, block.labels[i], [v]);
        v = o;
      }
      if (!groups.has(block.type)) groups.set(block.type, []);
      groups.get(block.type)!.push(v);
    }
    for (const [k, list] of groups) {
      if (hasKey(out as ObjectValue, k))
        this.diags.add(errorAt(body.range, "Duplicate argument", `${JSON.stringify(k)} is set both as an argument and as a block.`));
      put(out, k, list);
    }
    return out;
  }

  /**
   * A free-form api struct (Consul gateway, expose, transparent proxy, a
   * sidecar task's logs): keys in PascalCase, durations for *Timeout keys,
   * repeated blocks as lists, labelled blocks as maps by label.
   */
  structured(body: Body, ctx: EvalContext, renames: Readonly<Record<string, string>> = {}): Json {
    const out: Json = {};
    for (const a of body.attributes) {
      const v = this.value(a, ctx);
      if (v === undefined || v === null) continue;
      const key = renames[a.name] ?? pascalCase(a.name);
      if (/Timeout$/.test(key) && typeof v === "string") put(out, key, this.scalar(v, { type: "duration" }, a.expr.range));
      else put(out, key, v);
    }
    for (const { block, ctx: bctx } of this.blocksOf(body, ctx)) {
      if (OPAQUE_RAW_BLOCKS.has(block.type)) {
        put(out, pascalCase(block.type), this.freeformFlat(block.body, bctx));
        continue;
      }
      const inner = this.structured(block.body, bctx);
      if (block.labels.length === 1) {
        const key = pascalCase(block.type);
        put(inner, "Name", block.labels[0]);
        const m = (out[key] as Json | undefined) ?? {};
        put(m, block.labels[0], inner);
        put(out, key, m);
        continue;
      }
      const plural = OPAQUE_BLOCK_KEYS[block.type];
      if (plural) {
        const list = (out[plural] as unknown[] | undefined) ?? [];
        list.push(inner);
        put(out, plural, list);
      } else put(out, renames[block.type] ?? pascalCase(block.type), inner);
    }
    return out;
  }

  /** A block's attributes as a plain map (keys as written; nested blocks as in {@link freeform}). */
  freeformFlat(body: Body, ctx: EvalContext): Json {
    return this.freeform(body, ctx);
  }

  /** Decodes a constraint or affinity block with the operator shorthands (`jobspec2/hcl_conversions.go`). */
  constraint(body: Body, ctx: EvalContext, affinity: boolean): Json {
    const allowed = affinity
      ? ["attribute", "value", "operator", "weight", ...CONSTRAINT_SHORTHANDS]
      : [
          "attribute",
          "value",
          "operator",
          "distinct_property",
          "distinct_hosts",
          "attribute_is_set",
          "attribute_is_not_set",
          ...CONSTRAINT_SHORTHANDS,
        ];
    const vals = new Map<string, Value>();
    for (const b of body.blocks)
      this.diags.add(errorAt(b.typeRange, "Unsupported block type", `Blocks of type ${JSON.stringify(b.type)} are not expected here.`));
    for (const a of body.attributes) {
      if (!allowed.includes(a.name)) {
        this.diags.add(errorAt(a.nameRange, "Unsupported argument", `An argument named ${JSON.stringify(a.name)} is not expected here.`));
        continue;
      }
      const v = this.value(a, ctx);
      if (v === undefined || v === null) continue;
      if (a.name === "distinct_hosts") {
        const b = this.scalar(v, { type: "boolean" }, a.expr.range);
        if (b !== undefined) vals.set(a.name, b as boolean);
      } else if (a.name === "weight") {
        const n = this.scalar(v, { type: "int" }, a.expr.range);
        if (n !== undefined) vals.set(a.name, n as number);
      } else {
        const s = this.scalar(v, { type: "string" }, a.expr.range);
        if (s !== undefined) vals.set(a.name, s as string);
      }
    }
    const s = (k: string) => (vals.has(k) ? (vals.get(k) as string) : "");
    const out: Json = { LTarget: s("attribute"), RTarget: s("value"), Operand: s("operator") };
    const order = affinity
      ? ["version", "semver", "regexp", "set_contains_any", "set_contains_all", "set_contains"]
      : ["version", "semver", "regexp", "set_contains"];
    for (const k of order)
      if (s(k) !== "") {
        out.Operand = k;
        out.RTarget = s(k);
      }
    if (!affinity) {
      if (vals.has("distinct_hosts")) {
        out.Operand = "distinct_hosts";
        out.RTarget = String(vals.get("distinct_hosts"));
      }
      if (s("distinct_property") !== "") {
        out.Operand = "distinct_property";
        out.LTarget = s("distinct_property");
      }
    }
    if (affinity && vals.has("weight")) out.Weight = vals.get("weight");
    if (out.Operand === "") out.Operand = "=";
    return out;
  }

  /** Decodes `body` as the api struct `model` into `out`. `skip` names blocks/attributes the caller handles. */
  decodeInto(body: Body, ctx: EvalContext, model: BlockModel, out: Json, skip: ReadonlySet<string> = new Set()): void {
    for (const a of body.attributes) {
      if (skip.has(a.name)) continue;
      const key = this.resolveKey(model, a.name, false);
      const field = key ? model.fields.get(key) : undefined;
      if (!key || !field) {
        this.diags.add(
          errorAt(
            a.nameRange,
            "Unsupported argument",
            `An argument named ${JSON.stringify(a.name)} is not expected here.${this.suggestion(model, a.name)}`,
          ),
        );
        continue;
      }
      if (field.kind === "block" || field.kind === "list" || field.kind === "map") {
        this.diags.add(
          errorAt(
            a.nameRange,
            "Unsupported argument",
            `An argument named ${JSON.stringify(a.name)} is not expected here. Did you mean to define a block of type ${JSON.stringify(a.name)}?`,
          ),
        );
        continue;
      }
      const v = this.value(a, ctx);
      if (v === undefined || v === null) continue;
      const decoded = this.attributeValue(v, field, a.expr.range);
      if (decoded !== undefined) put(out, key, decoded, a.range);
    }
    const firstSeen = new Map<string, Block>();
    for (const { block, ctx: bctx } of this.blocksOf(body, ctx)) {
      if (skip.has(block.type)) continue;
      const key = this.resolveKey(model, block.type, true);
      const field = key ? model.fields.get(key) : undefined;
      if (!key || !field || field.kind === "scalar" || field.kind === "scalarList") {
        this.diags.add(
          errorAt(
            block.typeRange,
            "Unsupported block type",
            `Blocks of type ${JSON.stringify(block.type)} are not expected here.${field ? ` Did you mean to define argument ${JSON.stringify(block.type)}? If so, use the equals sign to assign it a value.` : this.suggestion(model, block.type)}`,
          ),
        );
        continue;
      }
      const single = field.kind === "block" || field.kind === "scalarMap" || field.kind === "opaque";
      if (single) {
        const prev = firstSeen.get(key);
        if (prev) {
          this.diags.add(
            errorAt(
              block.defRange,
              `Duplicate ${block.type} block`,
              `Only one ${block.type} block is allowed. Another was defined at ${where(prev.defRange)}.`,
            ),
          );
          continue;
        }
        if (hasKey(out as ObjectValue, key)) {
          const attr = body.attributes.find((a) => this.resolveKey(model, a.name, false) === key);
          this.diags.add(
            errorAt(
              block.defRange,
              `Duplicate ${block.type} block`,
              `${block.type} may not be defined more than once.${attr ? ` Another definition is defined at ${where(attr.range)}.` : ""}`,
            ),
          );
          continue;
        }
        firstSeen.set(key, block);
      }
      switch (field.kind) {
        case "block":
          if (this.labelsOk(block, field.block)) put(out, key, this.decodeBlock(block, bctx, field.block), block.defRange);
          break;
        case "list": {
          if (!this.labelsOk(block, field.block)) break;
          const list = (out[key] as unknown[] | undefined) ?? [];
          list.push(this.decodeBlock(block, bctx, field.block));
          put(out, key, list, block.defRange);
          break;
        }
        case "map": {
          if (!this.labelsOk(block, field.block)) break;
          const m = (out[key] as Json | undefined) ?? {};
          if (hasKey(m as ObjectValue, block.labels[0])) {
            this.diags.add(
              errorAt(
                block.defRange,
                `Duplicate ${block.type} block`,
                `A ${block.type} block labelled ${JSON.stringify(block.labels[0])} was already defined.`,
              ),
            );
            break;
          }
          put(m, block.labels[0], this.decodeBlock(block, bctx, field.block), block.defRange);
          put(out, key, m, block.defRange);
          break;
        }
        case "scalarMap": {
          if (!this.noLabels(block)) break;
          const m: Json = {};
          for (const b of block.body.blocks)
            this.diags.add(
              errorAt(b.typeRange, "Unsupported block type", `Blocks of type ${JSON.stringify(b.type)} are not expected here.`),
            );
          for (const a of block.body.attributes) {
            const v = this.value(a, bctx);
            if (v === undefined || v === null) continue;
            if (field.valueList) {
              if (!Array.isArray(v)) {
                this.diags.add(
                  errorAt(a.expr.range, "Unsuitable value type", `Unsuitable value: list of string required, but found ${typeName(v)}.`),
                );
                continue;
              }
              put(
                m,
                a.name,
                v.map((i) => this.scalar(i, field.scalar, a.expr.range)),
                a.range,
              );
            } else put(m, a.name, this.scalar(v, field.scalar, a.expr.range), a.range);
          }
          put(out, key, m, block.defRange);
          break;
        }
        case "opaque":
          if (!this.noLabels(block)) break;
          put(
            out,
            key,
            key === "Config" || key === "Policy"
              ? this.freeform(block.body, bctx)
              : this.structured(block.body, bctx, key === "LogConfig" ? (HCL_NAME_EXCEPTIONS.LogConfig ?? {}) : {}),
            block.defRange,
          );
          break;
        case "opaqueList": {
          if (!this.noLabels(block)) break;
          const list = (out[key] as unknown[] | undefined) ?? [];
          list.push(this.structured(block.body, bctx));
          put(out, key, list, block.defRange);
          break;
        }
      }
    }
  }

  private attributeValue(v: Value, field: FieldKind, range: Range): unknown {
    switch (field.kind) {
      case "scalar":
        return this.scalar(v, field.scalar, range);
      case "scalarList": {
        if (!Array.isArray(v)) {
          this.diags.add(errorAt(range, "Unsuitable value type", `Unsuitable value: a list is required, but found ${typeName(v)}.`));
          return undefined;
        }
        return v.map((x) => this.scalar(x, field.scalar, range));
      }
      case "scalarMap":
        return this.stringMap(v, field.valueList, range);
      case "opaque":
        if (!isObject(v)) {
          this.diags.add(errorAt(range, "Unsuitable value type", `Unsuitable value: an object is required, but found ${typeName(v)}.`));
          return undefined;
        }
        return v;
      case "opaqueList":
        return Array.isArray(v) ? v : [v];
      default:
        return undefined;
    }
  }

  private noLabels(block: Block): boolean {
    if (block.labels.length === 0) return true;
    this.diags.add(errorAt(block.labelRanges[0], `Extraneous label for ${block.type}`, `No labels are expected for ${block.type} blocks.`));
    return false;
  }

  private labelsOk(block: Block, model: BlockModel): boolean {
    const labelKey = LABEL_KEYS[model.name];
    if (!labelKey) return this.noLabels(block);
    if (block.labels.length === 1) return true;
    if (block.labels.length === 0)
      this.diags.add(errorAt(block.defRange, `Missing name for ${block.type}`, `All ${block.type} blocks must have 1 labels (name).`));
    else
      this.diags.add(
        errorAt(block.labelRanges[1], `Extraneous label for ${block.type}`, `Only 1 labels (name) are expected for ${block.type} blocks.`),
      );
    return false;
  }

  /** Decodes one block as the api struct `model`, with the special cases of jobspec2. */
  decodeBlock(block: Block, ctx: EvalContext, model: BlockModel): Json {
    const decoded = this.decodeBlockUnmarked(block, ctx, model);
    markBlock(decoded, block.defRange);
    return decoded;
  }

  private decodeBlockUnmarked(block: Block, ctx: EvalContext, model: BlockModel): Json {
    const out: Json = {};
    const labelKey = LABEL_KEYS[model.name];
    if (labelKey && block.labels.length) put(out, labelKey, block.labels[0]);
    switch (model.name) {
      case "Constraint":
        return this.constraint(block.body, ctx, false);
      case "Affinity":
        return this.constraint(block.body, ctx, true);
      case "TaskGroup":
        this.decodeGroup(block, ctx, model, out);
        return out;
      case "Task":
        this.decodeTask(block.body, ctx, model, out);
        return out;
      default:
        this.decodeInto(block.body, ctx, model, out);
        return out;
    }
  }

  /** A group: vault and secret blocks apply to its tasks; scaling's type defaults to horizontal. */
  decodeGroup(block: Block, ctx: EvalContext, model: BlockModel, out: Json): void {
    this.decodeInto(block.body, ctx, model, out, new Set(["vault", "secret"]));
    const blocks = this.blocksOf(block.body, ctx);
    const vaultModel = findBlockModel("Vault");
    const secretModel = findBlockModel("Secret");
    let vault: Json | undefined;
    const secrets: Json[] = [];
    for (const { block: b, ctx: bctx } of blocks) {
      if (b.type === "vault" && vaultModel) {
        if (vault) this.diags.add(errorAt(b.defRange, "Duplicate vault block", "Only one vault block is allowed in a group."));
        else if (this.noLabels(b)) vault = this.decodeBlock(b, bctx, vaultModel);
      } else if (b.type === "secret" && secretModel && this.labelsOk(b, secretModel)) secrets.push(this.decodeBlock(b, bctx, secretModel));
    }
    const tasks = (out.Tasks as Json[] | undefined) ?? [];
    for (const t of tasks) {
      if (vault && t.Vault === undefined) t.Vault = structuredClone(vault);
      if (secrets.length) t.Secrets = [...((t.Secrets as Json[] | undefined) ?? []), ...structuredClone(secrets)];
    }
    const scaling = out.Scaling as Json | undefined;
    if (scaling) {
      if (scaling.Type === undefined || scaling.Type === "") scaling.Type = "horizontal";
      else if (scaling.Type !== "horizontal") {
        const sb = block.body.blocks.find((b) => b.type === "scaling");
        const ta = sb?.body.attributes.find((a) => a.name === "type");
        this.diags.add(
          errorAt(
            ta ? ta.expr.range : block.defRange,
            "Invalid group scaling type",
            `task group scaling policy had invalid type: ${JSON.stringify(scaling.Type)}`,
          ),
        );
      }
      if (scaling.Max === undefined) {
        const sb = block.body.blocks.find((b) => b.type === "scaling");
        this.diags.add(
          errorAt(
            sb ? sb.defRange : block.defRange,
            "Missing required argument",
            'The argument "max" is required, but no definition was found.',
          ),
        );
      }
    }
  }

  /** A task: `scaling "cpu"|"mem"` blocks become vertical scaling policies. */
  decodeTask(body: Body, ctx: EvalContext, model: BlockModel, out: Json): void {
    this.decodeInto(body, ctx, model, out, new Set(["scaling"]));
    const policyModel = findBlockModel("ScalingPolicy");
    const seen = new Map<string, Block>();
    for (const { block: b, ctx: bctx } of this.blocksOf(body, ctx)) {
      if (b.type !== "scaling" || !policyModel) continue;
      if (b.labels.length !== 1) {
        this.diags.add(errorAt(b.defRange, "Missing name for scaling", "All scaling blocks must have 1 labels (name)."));
        continue;
      }
      const label = b.labels[0].toLowerCase();
      const type = label === "cpu" ? "vertical_cpu" : label === "mem" ? "vertical_mem" : undefined;
      if (!type) {
        this.diags.add(errorAt(b.labelRanges[0], "Invalid scaling policy name", 'scaling policy name must be "cpu" or "mem"'));
        continue;
      }
      const prev = seen.get(label);
      if (prev) {
        this.diags.add(
          errorAt(
            b.defRange,
            `Duplicate scaling ${JSON.stringify(label)} block`,
            `Only one scaling ${label} block is allowed. Another was defined at ${where(prev.defRange)}.`,
          ),
        );
        continue;
      }
      seen.set(label, b);
      const p: Json = {};
      this.decodeInto(b.body, bctx, policyModel, p);
      if (p.Type === undefined || p.Type === "") p.Type = type;
      else if (p.Type !== type) {
        this.diags.add(
          errorAt(
            b.defRange,
            "Invalid scaling policy type",
            `Invalid policy type, expected ${JSON.stringify(p.Type)} but found ${JSON.stringify(type)}`,
          ),
        );
        continue;
      }
      const list = (out.ScalingPolicies as Json[] | undefined) ?? [];
      list.push(p);
      out.ScalingPolicies = list;
    }
  }
}
