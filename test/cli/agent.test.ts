/** `drover agent` through the CLI entry point, in process. */
import { PassThrough } from "node:stream";
import { main } from "../../lib/cli/main";
import { api, waitFor } from "../helpers/runtime";

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  let outText = "";
  let errText = "";
  out.on("data", (d) => (outText += d.toString()));
  err.on("data", (d) => (errText += d.toString()));
  return { io: { out, err, cwd: process.cwd(), env: {}, isTTY: false }, out: () => outText, err: () => errText };
}

describe("drover agent", () => {
  it("prints its address first, serves the API, and shuts down cleanly on SIGTERM", async () => {
    const s = io();
    const running = main(["agent", "--dev", "--port", "0", "--sim-nodes", "2"], s.io);
    const first = await waitFor("the first line", () => (s.out().includes("\n") ? s.out().split("\n")[0] : null), 20_000);
    const m = /^drover agent: listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
    expect(m).not.toBeNull();
    const address = (m as RegExpExecArray)[1];
    const nodes = await api(address, "GET", "/v1/nodes");
    expect(nodes.body).toHaveLength(3);
    expect((await api(address, "GET", "/v1/status/leader")).body).toBe("127.0.0.1:4647");
    process.emit("SIGTERM");
    expect(await running).toBe(0);
    expect(s.out()).toContain("shutting down");
    await expect(fetch(`${address}/v1/nodes`)).rejects.toThrow();
  });

  it("requires --dev (or --config) and reports a bad config file with exit 2", async () => {
    const s = io();
    expect(await main(["agent"], s.io)).toBe(2);
    expect(s.err()).toContain("--dev");
    const s2 = io();
    expect(await main(["agent", "--config", "/nonexistent/agent.json"], s2.io)).toBe(2);
    expect(s2.err()).toContain("/nonexistent/agent.json");
    const s3 = io();
    expect(await main(["agent", "--dev", "--port", "99999"], s3.io)).toBe(2);
  });
});
