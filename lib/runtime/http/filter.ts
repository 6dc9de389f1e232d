/**
 * A small subset of go-bexpr, the `?filter=` language of Nomad's list
 * endpoints: clauses `Selector == "value"`, `Selector != "value"`,
 * `"value" in Selector`, `Selector is empty`, `Selector is not empty`,
 * joined by `and` / `or` (and binds tighter), with dotted selectors
 * (`Meta.team`, `JobSummary.Summary.web.Running`). Anything else is rejected
 * with a 400 that names the unsupported part.
 */
import { badRequest } from "../server/errors";

type Predicate = (obj: unknown) => boolean;

function select(obj: unknown, selector: string): unknown {
  let cur: unknown = obj;
  for (const part of selector.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function literal(text: string): string {
  const t = text.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("`") && t.endsWith("`"))) return t.slice(1, -1);
  return t;
}

function clause(text: string): Predicate {
  const t = text.trim();
  let m = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(t);
  if (m) {
    const [, sel, op, val] = m;
    const want = literal(val);
    return (o) => {
      const got = select(o, sel.trim());
      const eq = got !== undefined && got !== null && String(got) === want;
      return op === "==" ? eq : !eq;
    };
  }
  m = /^(.+?)\s+(not\s+in|in)\s+(.+)$/.exec(t);
  if (m) {
    const [, val, op, sel] = m;
    const want = literal(val);
    return (o) => {
      const got = select(o, sel.trim());
      let has = false;
      if (Array.isArray(got)) has = got.map(String).includes(want);
      else if (typeof got === "string") has = got.includes(want);
      else if (got && typeof got === "object") has = want in got;
      return op.startsWith("not") ? !has : has;
    };
  }
  m = /^(.+?)\s+is\s+(not\s+)?empty$/.exec(t);
  if (m) {
    const [, sel, not] = m;
    return (o) => {
      const got = select(o, sel.trim());
      const empty =
        got === undefined ||
        got === null ||
        got === "" ||
        (Array.isArray(got) && got.length === 0) ||
        (typeof got === "object" && Object.keys(got as object).length === 0);
      return not ? !empty : empty;
    };
  }
  throw badRequest(
    `failed to read filter expression: unsupported clause ${JSON.stringify(t)} (drover supports ==, !=, in, not in, is empty, and, or)`,
  );
}

/** Compiles a filter expression into a predicate; an empty expression accepts everything. */
export function compileFilter(expr: string): Predicate {
  if (!expr.trim()) return () => true;
  const ors = expr.split(/\s+or\s+/).map((part) => part.split(/\s+and\s+/).map(clause));
  return (o) => ors.some((ands) => ands.every((p) => p(o)));
}
