/**
 * Where a problem's path is in a JSON job file: the key and value it names
 * (or the closest enclosing one), for `FILE:LINE:COLUMN` output.
 */
import type { JsonNode, Range } from "../hcl";
import { parseJsonNodes } from "../hcl";

/** A JSON job file read with the position of every key and value. */
export class JsonPositions {
  private readonly root: JsonNode | undefined;

  /** Reads `text` (the file's contents); `file` names it in ranges. */
  constructor(text: string, file: string) {
    this.root = parseJsonNodes(text, file).node;
  }

  /**
   * The range of the key and value at `segments` (a problem's path, starting
   * with `Job` for a register request or a bare job alike), or of the
   * closest enclosing value; undefined for unparseable text.
   */
  rangeAt(segments: readonly (string | number)[]): Range | undefined {
    let node = this.root;
    if (!node) return undefined;
    let segs = segments;
    if (segs[0] === "Job" && !(node.kind === "object" && node.props.some((p) => p.key === "Job"))) segs = segs.slice(1);
    let best: Range = node.range;
    for (const seg of segs) {
      if (node.kind === "object") {
        const prop: { key: string; keyRange: Range; value: JsonNode } | undefined = node.props.find((p) => p.key === seg);
        if (!prop) break;
        best = { file: prop.keyRange.file, start: prop.keyRange.start, end: prop.value.range.end };
        node = prop.value;
      } else if (node.kind === "array" && typeof seg === "number" && node.items[seg]) {
        node = node.items[seg];
        best = node.range;
      } else break;
    }
    return best;
  }
}
