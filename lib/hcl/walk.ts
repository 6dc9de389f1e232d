/** Walking the syntax tree: the variable references an expression makes (hcl's `Expression.Variables()`). */
import type { Expression, TemplatePart } from "./ast";

/** Every root-variable reference (`traversal` node) in `expr`, in source order; iterator variables of for expressions are left out. */
export function traversalsOf(expr: Expression): Extract<Expression, { type: "traversal" }>[] {
  const out: Extract<Expression, { type: "traversal" }>[] = [];
  const visit = (e: Expression, bound: ReadonlySet<string>): void => {
    switch (e.type) {
      case "traversal":
        if (!bound.has(e.root)) out.push(e);
        return;
      case "template":
        parts(e.parts, bound);
        return;
      case "getattr":
        visit(e.target, bound);
        return;
      case "index":
        visit(e.target, bound);
        visit(e.key, bound);
        return;
      case "splat":
        visit(e.source, bound);
        visit(e.each, bound);
        return;
      case "call":
        e.args.forEach((a) => visit(a, bound));
        return;
      case "tuple":
        e.items.forEach((i) => visit(i, bound));
        return;
      case "object":
        e.items.forEach((i) => {
          visit(i.key, bound);
          visit(i.value, bound);
        });
        return;
      case "unary":
        visit(e.operand, bound);
        return;
      case "binary":
        visit(e.left, bound);
        visit(e.right, bound);
        return;
      case "conditional":
        visit(e.cond, bound);
        visit(e.then, bound);
        visit(e.else, bound);
        return;
      case "paren":
        visit(e.expr, bound);
        return;
      case "for": {
        visit(e.coll, bound);
        const inner = new Set(bound);
        if (e.keyVar) inner.add(e.keyVar);
        inner.add(e.valueVar);
        if (e.keyExpr) visit(e.keyExpr, inner);
        visit(e.valueExpr, inner);
        if (e.cond) visit(e.cond, inner);
        return;
      }
      default:
        return;
    }
  };
  const parts = (ps: TemplatePart[], bound: ReadonlySet<string>): void => {
    for (const p of ps) {
      if (p.kind === "interp") visit(p.expr, bound);
      else if (p.kind === "if") {
        visit(p.cond, bound);
        parts(p.then, bound);
        parts(p.else, bound);
      } else if (p.kind === "for") {
        visit(p.coll, bound);
        const inner = new Set(bound);
        if (p.keyVar) inner.add(p.keyVar);
        inner.add(p.valueVar);
        parts(p.body, inner);
      }
    }
  };
  visit(expr, new Set());
  return out;
}
