/**
 * A web page cannot drive the agent. Headless Chromium (Debian's `chromium`)
 * loads a page from a server on 127.0.0.1 on another port; the page tries to
 * register jobs with `fetch` POSTs (text/plain without a preflight, JSON with
 * one, a form post) and through a host name that resolves to 127.0.0.1 (what
 * a DNS-rebinding page sends), then posts what it saw back to the page
 * server. None of its jobs is registered; a tool without `Origin` still
 * registers with curl's form content type. Skips when chromium is absent.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
const describeWithChromium = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM)
  console.warn("browser test skipped: no chromium at /usr/bin/chromium (apt-get install chromium; .ci/install-system-packages does it)");

/** The attacker's page: four attempts, each reported by what the browser let the page see. */
function attackerPage(agentPort: number): string {
  const job = (id: string) => JSON.stringify({ Job: mockJob(id) });
  return `<!doctype html><html><body><script>
const agent = "http://127.0.0.1:${agentPort}";
const rebound = "http://rebind.test:${agentPort}";
const attempt = async (name, f) => { try { const r = await f(); return name + ": " + r.type + " " + r.status; } catch (e) { return name + ": " + e.name; } };
(async () => {
  const results = [];
  results.push(await attempt("text/plain no-cors", () => fetch(agent + "/v1/jobs", { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: ${JSON.stringify(job("evil-text"))} })));
  results.push(await attempt("json cors", () => fetch(agent + "/v1/jobs", { method: "POST", headers: { "Content-Type": "application/json" }, body: ${JSON.stringify(job("evil-json"))} })));
  results.push(await attempt("json put cors", () => fetch(agent + "/v1/job/evil-put", { method: "PUT", headers: { "Content-Type": "application/json" }, body: ${JSON.stringify(job("evil-put"))} })));
  results.push(await attempt("rebinding host no-cors", () => fetch(rebound + "/v1/jobs", { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: ${JSON.stringify(job("evil-rebind"))} })));
  results.push(await attempt("read jobs cors", () => fetch(agent + "/v1/jobs")));
  // A form post (a navigation, into a hidden frame), text/plain as old CSRF pages do it; the frame's load event says the answer came.
  const frame = document.createElement("iframe");
  frame.name = "sink"; document.body.appendChild(frame);
  const form = document.createElement("form");
  form.method = "POST"; form.action = agent + "/v1/jobs"; form.enctype = "text/plain"; form.target = "sink";
  const input = document.createElement("input");
  input.name = ${JSON.stringify(job("evil-form").slice(0, -2) + ',"x":"')};
  input.value = '"}}';
  form.appendChild(input); document.body.appendChild(form);
  await new Promise((resolve) => { frame.onload = resolve; form.submit(); });
  results.push("form post: answered");
  await fetch("/result", { method: "POST", body: JSON.stringify(results) });
})();
</script></body></html>`;
}

describeWithChromium("a web page in a browser", () => {
  let t: TestAgent;
  let page: http.Server;
  let pagePort = 0;
  let chromium: ChildProcess | null = null;
  let profile = "";
  let results: string[] | null = null;

  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 1 });
    page = http.createServer((req, res) => {
      if (req.method === "POST" && req.url === "/result") {
        const chunks: Buffer[] = [];
        req.on("data", (d: Buffer) => chunks.push(d));
        req.on("end", () => {
          results = JSON.parse(Buffer.concat(chunks).toString("utf8")) as string[];
          res.end("ok");
        });
        return;
      }
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(attackerPage(t.agent.port));
    });
    await new Promise<void>((r) => page.listen(0, "127.0.0.1", () => r()));
    pagePort = (page.address() as AddressInfo).port;
  });

  afterAll(async () => {
    if (chromium && chromium.exitCode === null) {
      const exited = new Promise((r) => chromium!.once("exit", r));
      try {
        process.kill(-chromium.pid!, "SIGKILL"); // the whole group: helpers may still be writing the profile
      } catch {
        chromium.kill("SIGKILL");
      }
      await exited;
    }
    await new Promise<void>((r) => page?.close(() => r()));
    await t?.stop();
    // A helper that outlived the group's kill by a moment may still be closing files in the profile.
    if (profile) fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it("registers nothing through fetch with text/plain or JSON, a rebinding host name, or a form post", async () => {
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "drover-chromium-"));
    chromium = spawn(
      CHROMIUM!,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        // rebind.test resolves to 127.0.0.1, as the attacker's name does once its DNS answer changes.
        "--host-resolver-rules=MAP rebind.test 127.0.0.1",
        `http://127.0.0.1:${pagePort}/`,
      ],
      // Its own process group, so that the renderer and helper processes end with it.
      { stdio: "ignore", detached: true },
    );
    const seen = await waitFor("the page to report its attempts", () => results, 60_000, 100);
    expect(seen).toEqual([
      // The request goes out (no preflight for text/plain) but the agent refuses it: the page sees an opaque answer.
      "text/plain no-cors: opaque 0",
      // A JSON body needs a preflight, which the agent refuses: the request itself is never sent.
      "json cors: TypeError",
      "json put cors: TypeError",
      "rebinding host no-cors: opaque 0",
      // Reading needs CORS headers the agent does not send to foreign origins.
      "read jobs cors: TypeError",
      "form post: answered",
    ]);
    const curlLike = await fetch(`${t.address}/v1/jobs`, {
      method: "PUT",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: JSON.stringify({ Job: mockJob("from-a-tool") }),
    });
    expect(curlLike.status).toBe(200);
    const jobs = (await (await fetch(`${t.address}/v1/jobs`)).json()) as { ID: string }[];
    expect(jobs.map((j) => j.ID)).toEqual(["from-a-tool"]);
  }, 90_000);
});
