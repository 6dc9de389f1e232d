/**
 * `npm start` runs `drover demo`: the quick start's promise that one command
 * shows the whole product working against the included runtime.
 */
import { PassThrough } from "node:stream";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import type { CommandIO } from "../../lib/cli/command";

function captureIO(): { io: CommandIO; out: () => string; err: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = "";
  let e = "";
  out.on("data", (d) => (o += d.toString()));
  err.on("data", (d) => (e += d.toString()));
  const io: CommandIO = { out, err, cwd: path.resolve(__dirname, "..", ".."), env: {}, isTTY: false };
  return { io, out: () => o, err: () => e };
}

describe("drover demo", () => {
  it("plans, applies, lists, re-plans with no change and destroys the quick-start job", async () => {
    const { io, out, err } = captureIO();
    const code = await main(["demo"], io);
    expect(err()).toBe("");
    expect(code).toBe(0);
    const text = out();
    expect(text).toMatch(/the included runtime is listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(text).toContain('+ Job: "hello"');
    expect(text).toMatch(/Deployment [0-9a-f]{8}: successful \(web: 3\/3 healthy/);
    // Three running, healthy allocations in the table.
    expect(text.match(/ web +0 +run +running +true/g)).toHaveLength(3);
    expect(text).toContain("No changes. The cluster matches the jobs.");
    expect(text).toContain('Job "hello": purged');
  });

  it("refuses a program that does not exist with exit code 2", async () => {
    const { io, err } = captureIO();
    expect(await main(["demo", "no/such/program.ts"], io)).toBe(2);
    expect(err()).toContain("does not exist");
  });
});
