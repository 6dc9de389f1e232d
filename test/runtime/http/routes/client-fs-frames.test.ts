/** The frames of Nomad's streaming file and log endpoints, and the client's splitting of them. */
import { JsonObjectSplitter } from "../../../../lib/api/endpoints/client";
import { encodeFrame } from "../../../../lib/runtime/http/routes/client-fs";

describe("framed streams", () => {
  it("encodes frames as Nomad does and splits them back across chunk boundaries", () => {
    const text =
      encodeFrame({ file: "alloc/logs/t.stdout.0", offset: 3, data: Buffer.from('a}"{') }) +
      encodeFrame(null) +
      encodeFrame({ file: "alloc/logs/t.stdout.0", offset: 0, data: Buffer.alloc(0), event: "file truncated" });
    expect(encodeFrame(null)).toBe("{}");
    const split = new JsonObjectSplitter();
    const out: unknown[] = [];
    for (let i = 0; i < text.length; i += 5) out.push(...split.push(text.slice(i, i + 5)));
    expect(out).toEqual([
      { Offset: 3, Data: Buffer.from('a}"{').toString("base64"), File: "alloc/logs/t.stdout.0" },
      {},
      { File: "alloc/logs/t.stdout.0", FileEvent: "file truncated" },
    ]);
  });
});
