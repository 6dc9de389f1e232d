/**
 * Job files in HCL's JSON syntax (`{"job": {"example": {...}}}`), as
 * jobspec2 reads them through hashicorp/hcl's `json` package. Which JSON
 * properties are blocks depends on the schema, so the JSON is turned into
 * the same syntax tree as native syntax here, with the job model deciding:
 * a property is a block when the model has a block (or block list or map)
 * of that name, and a block's labels are nested object levels.
 */
import type { Attribute, Block, Body, JsonNode, Range } from "../../hcl";
import { fail, jsonExpression, parseHclExpression } from "../../hcl";
import type { BlockModel } from "../model";
import { findBlockModel, JOB_MODEL } from "../model";
import { JobDecoder } from "./decode";
import { LABEL_KEYS, OPAQUE_RAW_BLOCKS } from "./names";
import { Diags } from "./variables";

/** What a property is: an attribute, or a block with `labels` labels whose bodies follow `child`. */
type Kind = { block: false; typeExpr?: boolean } | { block: true; labels: number; child: Schema };
/** Decides what a property of a body is, by name (and, for free-form structs, by its value). */
type Schema = (name: string, value: JsonNode) => Kind;

const ATTRS: Schema = () => ({ block: false });

const resolver = new JobDecoder(new Diags());

function isObjectish(v: JsonNode): boolean {
  return v.kind === "object" || (v.kind === "array" && v.items.length > 0 && v.items.every((i) => i.kind === "object"));
}

/** Free-form api structs (Consul gateways, expose, transparent proxy): objects are blocks, except raw maps such as `config`. */
const structured: Schema = (name, value) => {
  if (OPAQUE_RAW_BLOCKS.has(name) || !isObjectish(value)) return { block: false };
  return { block: true, labels: name === "envoy_gateway_bind_addresses" ? 1 : 0, child: structured };
};

function modelSchema(model: BlockModel): Schema {
  return (name, value) => {
    const extra =
      (model.name === "Job" && ["task", "vault", "secret"].includes(name)) ||
      (model.name === "TaskGroup" && ["vault", "secret"].includes(name)) ||
      (model.name === "Task" && name === "scaling");
    if (extra) {
      const target = name === "task" ? "Task" : name === "vault" ? "Vault" : name === "secret" ? "Secret" : "ScalingPolicy";
      const m = findBlockModel(target);
      return { block: true, labels: name === "vault" ? 0 : 1, child: m ? modelSchema(m) : ATTRS };
    }
    const key = resolver.resolveKey(model, name, true);
    const field = key ? model.fields.get(key) : undefined;
    if (!field) return { block: false };
    switch (field.kind) {
      case "block":
      case "list":
        if (field.block.name === "Constraint" || field.block.name === "Affinity") return { block: true, labels: 0, child: ATTRS };
        return { block: true, labels: LABEL_KEYS[field.block.name] ? 1 : 0, child: modelSchema(field.block) };
      case "map":
        return { block: true, labels: 1, child: modelSchema(field.block) };
      case "opaque":
        return key === "Config" || key === "Policy" || !isObjectish(value)
          ? { block: false }
          : { block: true, labels: 0, child: structured };
      case "opaqueList":
        return isObjectish(value) ? { block: true, labels: 0, child: structured } : { block: false };
      default:
        return { block: false };
    }
  };
}

const variableSchema: Schema = (name) =>
  name === "validation" ? { block: true, labels: 0, child: ATTRS } : { block: false, typeExpr: name === "type" };

const topSchema: Schema = (name) => {
  if (name === "variable") return { block: true, labels: 1, child: variableSchema };
  if (name === "variables" || name === "locals") return { block: true, labels: 0, child: ATTRS };
  if (name === "job") return { block: true, labels: 1, child: modelSchema(JOB_MODEL) };
  return { block: false };
};

function join(a: Range, b: Range): Range {
  return { file: a.file, start: a.start, end: b.end };
}

function toBody(node: JsonNode, schema: Schema): Body {
  if (node.kind !== "object") fail(node.range, "Incorrect JSON value type", "A body must be a JSON object.");
  const attributes: Attribute[] = [];
  const blocks: Block[] = [];
  for (const p of node.props) {
    if (p.key === "//") continue;
    let kind = schema(p.key, p.value);
    if (p.key === "dynamic" && !kind.block) kind = { block: true, labels: 1, child: ATTRS };
    if (!kind.block) {
      if (attributes.some((a) => a.name === p.key))
        fail(p.keyRange, "Duplicate argument", `The argument ${JSON.stringify(p.key)} was already set.`);
      let expr = jsonExpression(p.value);
      if (kind.typeExpr && p.value.kind === "string") {
        const r = parseHclExpression(p.value.value, p.value.range.file);
        if (!r.expr) fail(p.value.range, r.diagnostics[0].summary, r.diagnostics[0].detail);
        expr = r.expr;
      }
      attributes.push({ name: p.key, expr, nameRange: p.keyRange, range: join(p.keyRange, p.value.range) });
      continue;
    }
    const emit = (value: JsonNode, labels: string[], labelRanges: Range[]): void => {
      if (labels.length < kind.labels) {
        if (value.kind !== "object")
          fail(value.range, "Incorrect JSON value type", `A JSON object with a property for each ${p.key} label is required here.`);
        for (const l of value.props) emit(l.value, [...labels, l.key], [...labelRanges, l.keyRange]);
        return;
      }
      const bodies = value.kind === "array" ? value.items : [value];
      for (const b of bodies) {
        // A dynamic block's content follows the schema of the block type it generates (its label).
        const child: Schema =
          p.key === "dynamic"
            ? (name, v) => {
                if (name !== "content") return { block: false };
                const target = schema(labels[0] ?? "", v);
                return { block: true, labels: 0, child: target.block ? target.child : ATTRS };
              }
            : kind.child;
        blocks.push({
          type: p.key,
          labels,
          labelRanges,
          body: toBody(b, child),
          typeRange: p.keyRange,
          defRange: labelRanges.length ? join(p.keyRange, labelRanges[labelRanges.length - 1]) : p.keyRange,
          range: join(p.keyRange, b.range),
        });
      }
    };
    emit(p.value, [], []);
  }
  return { attributes, blocks, range: node.range };
}

/** The syntax tree of a job file in HCL's JSON syntax (throws a DiagnosticError at the offending value). */
export function jsonJobBody(root: JsonNode): Body {
  return toBody(root, topSchema);
}
