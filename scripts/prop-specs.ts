/**
 * Generates lib/dsl/props/specs.generated.ts from the DSL's own prop
 * interfaces (lib/dsl/*.ts), with the TypeScript compiler: the run-time prop
 * checks are derived from the same declarations as the props' types, so
 * there is no second, hand-kept list to drift.
 *
 *   npx tsx scripts/prop-specs.ts          # rewrite the file
 *   npx tsx scripts/prop-specs.ts --check  # exit 1 when it is stale
 *
 * test/dsl/prop-specs.test.ts fails when the file is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import type { PropType } from "../lib/dsl/props/types";

const ROOT = path.resolve(__dirname, "..");
const DSL = path.join(ROOT, "lib", "dsl");
/** Where the generated specs go. */
export const OUTPUT = path.join(DSL, "props", "specs.generated.ts");

/** Type aliases that are leaves of their own, by name. */
const NAMED_LEAVES: Record<string, PropType> = { DurationInput: { k: "duration" } };

/** Generates the text of specs.generated.ts. */
export function generatePropSpecs(): string {
  const files = fs
    .readdirSync(DSL)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(DSL, f));
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const specs = new Map<string, Record<string, PropType>>();
  const pending: [string, ts.Type][] = [];

  const isDslDeclaration = (sym: ts.Symbol | undefined): boolean =>
    !!sym?.declarations?.some((d) => path.resolve(d.getSourceFile().fileName).startsWith(DSL + path.sep));

  const describe = (type: ts.Type): PropType => {
    const alias = type.aliasSymbol?.name;
    if (alias && NAMED_LEAVES[alias]) return NAMED_LEAVES[alias];
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { k: "any" };
    if (type.flags & ts.TypeFlags.String || type.flags & ts.TypeFlags.TemplateLiteral) return { k: "string" };
    if (type.flags & ts.TypeFlags.Number) return { k: "number" };
    if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { k: "boolean" };
    if (type.isStringLiteral()) return { k: "literal", values: [type.value] };
    if (type.isNumberLiteral()) return { k: "literal", values: [type.value] };
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { k: "boolean" };
      const described = members.map(describe);
      const literals = described.filter((d): d is Extract<PropType, { k: "literal" }> => d.k === "literal");
      const others = described.filter((d) => d.k !== "literal");
      const merged: PropType[] = [];
      if (literals.length) merged.push({ k: "literal", values: literals.flatMap((l) => l.values) });
      for (const o of others) if (!merged.some((m) => JSON.stringify(m) === JSON.stringify(o))) merged.push(o);
      if (merged.some((m) => m.k === "string")) {
        const rest = merged.filter((m) => m.k !== "literal");
        return rest.length === 1 ? rest[0] : { k: "union", of: rest };
      }
      return merged.length === 1 ? merged[0] : { k: "union", of: merged };
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      return { k: "array", of: element ? describe(element) : { k: "any" } };
    }
    if (type.getCallSignatures().length > 0) return { k: "function" };
    const sym = type.getSymbol();
    if (sym && sym.flags & ts.SymbolFlags.Class) return { k: "instance", name: sym.name };
    if (type.flags & ts.TypeFlags.Object) {
      const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
      const props = checker.getPropertiesOfType(type);
      if (index && props.length === 0) return { k: "record", of: describe(index.type) };
      if (sym && sym.flags & ts.SymbolFlags.Interface && isDslDeclaration(sym)) {
        if (!specs.has(sym.name) && !pending.some(([n]) => n === sym.name)) pending.push([sym.name, type]);
        return { k: "ref", name: sym.name };
      }
      return { k: "object", props: describeProps(type), required: requiredOf(type) };
    }
    return { k: "any" };
  };

  const requiredOf = (type: ts.Type): string[] =>
    checker
      .getPropertiesOfType(type)
      .filter((p) => !(p.flags & ts.SymbolFlags.Optional))
      .map((p) => p.name);

  const describeProps = (type: ts.Type): Record<string, PropType> => {
    const out: Record<string, PropType> = {};
    for (const p of checker.getPropertiesOfType(type)) {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      if (!decl) continue;
      out[p.name] = describe(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(p, decl)));
    }
    return out;
  };

  // Roots: every exported interface of lib/dsl named *Props or *Config.
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const moduleSym = checker.getSymbolAtLocation(sf);
    if (!moduleSym) continue;
    for (const exp of checker.getExportsOfModule(moduleSym)) {
      if (!(exp.flags & ts.SymbolFlags.Interface) || !/(Props|Config|Options)$/.test(exp.name)) continue;
      pending.push([exp.name, checker.getDeclaredTypeOfSymbol(exp)]);
    }
  }
  const required = new Map<string, string[]>();
  while (pending.length) {
    const [name, type] = pending.shift()!;
    if (specs.has(name)) continue;
    specs.set(name, {});
    specs.set(name, describeProps(type));
    required.set(name, requiredOf(type));
  }
  const names = [...specs.keys()].sort();
  const body = names
    .map((n) => `  ${n}: { props: ${JSON.stringify(specs.get(n))}, required: ${JSON.stringify(required.get(n))} },`)
    .join("\n");
  return `// Generated by scripts/prop-specs.ts from the prop interfaces of lib/dsl: do not edit.\n// Run \`npx tsx scripts/prop-specs.ts\` after changing a prop.\nimport type { PropSpec } from "./types";\n\n/** The props of every DSL interface, by interface name, as the type checker sees them. */\nexport const PROP_SPECS: Readonly<Record<string, PropSpec>> = {\n${body}\n};\n`;
}

if (require.main === module) {
  const text = generatePropSpecs();
  const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, "utf8") : "";
  if (process.argv.includes("--check")) {
    if (current !== text) {
      process.stderr.write(`${path.relative(process.cwd(), OUTPUT)} is stale; run: npx tsx scripts/prop-specs.ts\n`);
      process.exit(1);
    }
  } else if (current !== text) fs.writeFileSync(OUTPUT, text);
}
