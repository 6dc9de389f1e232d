/**
 * Bounds on a request's JSON body, checked before anything else reads it:
 * valid UTF-8, a nesting depth below the agent's limit (measured on the text,
 * before it is parsed, so that a body nested 100,000 deep never reaches the
 * parser, the validator or canonicalization), and no lone UTF-16 surrogate in
 * any string or key (`"\ud800"` is valid JSON but names nothing that can be
 * stored, read back or deleted).
 */
import { badRequest } from "../server/errors";

/** Default deepest nesting of objects and arrays in a request body (a job is about 10 deep; driver configs add a few). */
export const DEFAULT_MAX_JSON_DEPTH = 64;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a request body as UTF-8; a 400 when it is not valid UTF-8. */
export function decodeBody(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw badRequest("Request body is not valid UTF-8");
  }
}

/**
 * The deepest nesting of `{`/`[` in a JSON text (outside strings), or throws
 * a 400 as soon as it passes `max`.
 */
export function checkJsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max)
        throw badRequest(`Request body is nested more than ${max} levels deep (the agent's limit, limits.http_max_json_depth)`);
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` holds a UTF-16 surrogate that is not half of a pair. */
function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/**
 * Throws a 400 naming the first string or key of a parsed body that holds a
 * lone surrogate (`Job.TaskGroups[0].Name`). Walks without recursion.
 */
export function checkWellFormed(value: unknown): void {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: "" }];
  while (stack.length > 0) {
    const { v, path } = stack.pop() as { v: unknown; path: string };
    if (typeof v === "string") {
      if (hasLoneSurrogate(v))
        throw badRequest(`Request body: ${path || "the body"} contains a lone UTF-16 surrogate (not valid Unicode text)`);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (hasLoneSurrogate(k))
          throw badRequest(`Request body: a key in ${path || "the body"} contains a lone UTF-16 surrogate (not valid Unicode text)`);
        stack.push({ v: x, path: path ? `${path}.${k}` : k });
      }
    }
  }
}
