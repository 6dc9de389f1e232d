/**
 * The allocation directory as a sandbox: links inside it are followed, links
 * that lead out are refused for every operation, and a task that swaps links
 * in a loop while the agent serves and renders files never gets the agent to
 * read or touch a file outside (a canary file with known content).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { AllocFs, OutsideAllocDirError } from "../../../lib/runtime/client/alloc-fs";
import { AllocDirLayout } from "../../../lib/runtime/client/alloc-dir";
import {
  buildTaskDir,
  renderTemplates,
  writeDispatchPayload,
  writeTemplateOutput,
  type TemplateSpec,
} from "../../../lib/runtime/client/task-dir";
import type { TaskDirs } from "../../../lib/runtime/drivers/driver";
import { rawExecJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

/** Renders templates and writes their output, as the alloc runner does (the write is the sandboxed part). */
function renderAndWrite(layout: AllocDirLayout, dirs: TaskDirs, templates: TemplateSpec[]): void {
  const identity = { namespace: "default", region: "global", job: "j", group: "g", task: "task" };
  for (const f of renderTemplates(layout, dirs, templates, {}, {}, identity).files) writeTemplateOutput(f);
}

const CANARY = "CANARY: outside the allocation directory; must never be served\n";

describe("AllocFs", () => {
  let base: string;
  let root: string;
  let outside: string;
  let files: AllocFs;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "drover-allocfs-"));
    root = path.join(base, "alloc-1");
    outside = path.join(base, "outside");
    fs.mkdirSync(path.join(root, "task", "local"), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, "canary"), CANARY, { mode: 0o600 });
    fs.writeFileSync(path.join(root, "task", "local", "in.txt"), "inside\n");
    files = new AllocFs(root);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const canaryUntouched = () => {
    const st = fs.statSync(path.join(outside, "canary"));
    expect(fs.readFileSync(path.join(outside, "canary"), "utf8")).toBe(CANARY);
    expect(st.mode & 0o777).toBe(0o600);
  };

  it("reads, lists and writes inside, following links that stay inside", () => {
    fs.symlinkSync("in.txt", path.join(root, "task", "local", "rel-link"));
    fs.symlinkSync(path.join(root, "task", "local"), path.join(root, "abs-dir-link"));
    fs.symlinkSync("../local/in.txt", path.join(root, "task", "local", "up-link"));
    expect(files.readFile("task/local/rel-link").toString()).toBe("inside\n");
    expect(files.readFile("/abs-dir-link/in.txt").toString()).toBe("inside\n");
    expect(files.readFile("task/local/up-link").toString()).toBe("inside\n");
    expect(files.readdir("abs-dir-link").sort()).toEqual(["in.txt", "rel-link", "up-link"]);
    expect(files.lstat("task/local/rel-link").isSymbolicLink()).toBe(true);
    files.writeFile("task/local/new/deeper/file", "x", 0o640);
    expect(fs.statSync(path.join(root, "task/local/new/deeper/file")).mode & 0o777).toBe(0o640);
    expect(
      files
        .list("task/local")
        .map((e) => e.name)
        .sort(),
    ).toEqual(["in.txt", "new", "rel-link", "up-link"]);
  });

  it.each([
    [
      "a link to a file outside",
      () => fs.symlinkSync(path.join(outside, "canary"), path.join(root, "task", "local", "f")),
      () => "task/local/f",
    ],
    [
      "a relative link climbing out",
      () => fs.symlinkSync("../../../outside/canary", path.join(root, "task", "local", "f")),
      () => "task/local/f",
    ],
    ["a directory link outside", () => fs.symlinkSync(outside, path.join(root, "task", "local", "d")), () => "task/local/d/canary"],
    ["a link to /", () => fs.symlinkSync("/", path.join(root, "task", "local", "d")), () => `task/local/d${outside}/canary`],
    [
      "a chain of links ending outside",
      () => (
        fs.symlinkSync("b", path.join(root, "task", "local", "a")),
        fs.symlinkSync(path.join(outside, "canary"), path.join(root, "task", "local", "b"))
      ),
      () => "task/local/a",
    ],
    ["a path with ..", () => {}, () => "task/../../outside/canary"],
  ])("refuses %s for every operation", (_name, setup, relOf) => {
    setup();
    const rel = relOf();
    expect(() => files.readFile(rel)).toThrow(OutsideAllocDirError);
    expect(() => files.stat(rel)).toThrow(OutsideAllocDirError);
    expect(() => files.openRead(rel)).toThrow(OutsideAllocDirError);
    expect(() => files.writeFile(rel, "pwned", 0o777)).toThrow(OutsideAllocDirError);
    expect(() => files.openAppend(rel)).toThrow(OutsideAllocDirError);
    canaryUntouched();
  });

  it("refuses a loop of links and a FIFO without blocking", () => {
    fs.symlinkSync("loop2", path.join(root, "loop1"));
    fs.symlinkSync("loop1", path.join(root, "loop2"));
    expect(() => files.readFile("loop1")).toThrow(/too many symbolic links/);
    const fifo = path.join(root, "task", "fifo");
    const mk = require("node:child_process").spawnSync("mkfifo", [fifo]);
    if (mk.status === 0) {
      expect(() => files.readFile("task/fifo")).toThrow(/not a regular file/);
      expect(() => files.writeFile("task/fifo", "x")).toThrow();
    }
  });

  it("renders templates and dispatch payloads through the sandbox (no write or chmod through a link out)", () => {
    const layout = new AllocDirLayout(base, "alloc-1");
    fs.mkdirSync(path.dirname(layout.root));
    fs.renameSync(root, layout.root);
    const dirs = buildTaskDir(layout, "task");
    fs.symlinkSync(path.join(outside, "canary"), path.join(dirs.localDir, "config.txt"));
    expect(() => renderAndWrite(layout, dirs, [{ DestPath: "local/config.txt", EmbeddedTmpl: "pwned", Perms: "0777" }])).toThrow(
      /outside the allocation directory/,
    );
    expect(() => writeDispatchPayload(layout, dirs, "config.txt", Buffer.from("pwned").toString("base64"))).toThrow(
      /outside the allocation directory/,
    );
    renderAndWrite(layout, dirs, [{ DestPath: "local/ok.txt", EmbeddedTmpl: "fine", Perms: "0600" }]);
    expect(fs.readFileSync(path.join(dirs.localDir, "ok.txt"), "utf8")).toBe("fine");
    canaryUntouched();
  });
});

/** GETs a path of the agent, returning status and body. */
function get(port: number, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: p }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

describe("a task swapping links while the agent reads and renders", () => {
  let t: TestAgent;
  let base: string;
  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "drover-linkrace-"));
    fs.mkdirSync(path.join(base, "outside"));
    fs.writeFileSync(path.join(base, "outside", "canary"), CANARY, { mode: 0o600 });
    fs.writeFileSync(path.join(base, "outside", "f"), CANARY, { mode: 0o600 });
    t = await startTestAgent({ dataDir: path.join(base, "data"), plugins: { raw_exec: { enabled: true } }, log: (m) => agentLog.push(m) });
  });
  let swapperPid = 0;
  const agentLog: string[] = [];
  afterAll(async () => {
    try {
      if (t) {
        // Tasks of an agent with a data dir outlive it (for reattach): stop the swapper first.
        await fetch(`${t.address}/v1/job/swapper`, { method: "DELETE" });
        await waitFor("the swapper to stop", async () => {
          const list = (await (await fetch(`${t.address}/v1/job/swapper/allocations`)).json()) as { ClientStatus: string }[];
          return list.every((a) => a.ClientStatus !== "running");
        }).catch(() => {});
      }
    } finally {
      // Whatever happened above, the swapper's process group does not outlive the test.
      if (swapperPid > 0) {
        try {
          process.kill(-swapperPid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await t?.stop();
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it("10,000 reads and renders never reach the canary outside the allocation directory", async () => {
    const outside = path.join(base, "outside");
    // The swapper flips a file link between inside and outside as fast as it can (with ln -sfn, which unlinks then
    // links, and with rename, which swaps atomically), and a directory link (with rename only, so that it never goes
    // missing: a render would then create a real directory in its place, as mkdir -p does).
    const script = [
      'cd "$NOMAD_TASK_DIR"; echo $$ > pid',
      "echo inside > in.txt; mkdir -p realdir; echo inside > realdir/f",
      "while :; do",
      `  ln -sfn "${outside}/canary" link; ln -sfn in.txt link`,
      `  ln -s "${outside}/canary" .t1 2>/dev/null; mv -T .t1 link; ln -s in.txt .t2 2>/dev/null; mv -T .t2 link`,
      `  ln -s "${outside}" .t3 2>/dev/null; mv -T .t3 dirlink; ln -s realdir .t4 2>/dev/null; mv -T .t4 dirlink`,
      "done",
    ].join("\n");
    const job = rawExecJob("swapper", "service", { command: "/bin/sh", args: ["-c", script] });
    expect((await fetch(`${t.address}/v1/jobs`, { method: "PUT", body: JSON.stringify({ Job: job }) })).status).toBe(200);
    const alloc = await waitFor("the swapper to run", async () => {
      const list = (await (await fetch(`${t.address}/v1/job/swapper/allocations`)).json()) as { ID: string; ClientStatus: string }[];
      return list.find((a) => a.ClientStatus === "running");
    });
    const layout = new AllocDirLayout(t.agent.client!.clientDir, alloc.ID);
    const local = layout.taskLocalDir("main");
    await waitFor("the swapper's links", () => fs.existsSync(path.join(local, "dirlink")));
    swapperPid = Number(fs.readFileSync(path.join(local, "pid"), "utf8"));
    const dirs = {
      dir: layout.taskDir("main"),
      allocDir: layout.sharedDir,
      localDir: local,
      secretsDir: layout.taskSecretsDir("main"),
      tmpDir: layout.taskTmpDir("main"),
    };
    const before = fs.statSync(path.join(outside, "canary"));

    const port = t.agent.port;
    const reads = ["main/local/link", "main/local/dirlink/f"];
    const endpoints = ["cat", "readat", "stat", "stream"];
    let served = 0;
    let refused = 0;
    let rendered = 0;
    let renderRefused = 0;
    const leaks: string[] = [];
    // 5,000 reads (2,000 over HTTP through the fs endpoints, 3,000 straight through the sandbox module they use) and
    // 5,000 renders (templates with perms, and dispatch payloads), interleaved.
    const files = new AllocFs(layout.root);
    for (let i = 0; i < 5000; i++) {
      const rel = reads[i % 2];
      if (i % 5 < 2) {
        const ep = endpoints[Math.floor(i / 2) % endpoints.length];
        const q = ep === "readat" ? "&offset=0&limit=4096" : ep === "stream" ? "&follow=false" : "";
        let r: { status: number; body: string };
        try {
          r = await get(port, `/v1/client/fs/${ep}/${alloc.ID}?path=${encodeURIComponent(rel)}${q}`);
        } catch (err) {
          leaks.push(`${ep} ${rel}: ${(err as Error).message}`);
          continue;
        }
        const body =
          ep === "stream" ? r.body.replace(/"Data":"([^"]*)"/g, (_m, d: string) => Buffer.from(d, "base64").toString("utf8")) : r.body;
        if (body.includes("CANARY") || (ep === "stat" && r.status === 200 && JSON.parse(r.body).FileMode === "-rw-------"))
          leaks.push(`${ep} ${rel}: ${r.status} ${r.body.slice(0, 120)}`);
        if (r.status === 200) served++;
        else if (r.status === 400 || r.status === 404) refused++;
        else leaks.push(`${ep} ${rel}: unexpected ${r.status} ${r.body.slice(0, 120)}`);
      } else {
        try {
          const text = files.readFile(rel).toString("utf8");
          if (text.includes("CANARY")) leaks.push(`readFile ${rel}: ${text}`);
          served++;
        } catch {
          refused++;
        }
      }
      try {
        if (i % 2 === 0)
          renderAndWrite(layout, dirs, [
            { DestPath: i % 4 === 0 ? "local/link" : "local/dirlink/f", EmbeddedTmpl: "rendered\n", Perms: "0666" },
          ]);
        else writeDispatchPayload(layout, dirs, i % 4 === 1 ? "link" : "dirlink/f", Buffer.from("payload\n").toString("base64"));
        rendered++;
      } catch {
        renderRefused++;
      }
    }
    const after = fs.statSync(path.join(outside, "canary"));
    expect({ leaks, agentLog: agentLog.filter((l) => l.startsWith("http")) }).toEqual({ leaks: [], agentLog: [] });
    expect(fs.readFileSync(path.join(outside, "canary"), "utf8")).toBe(CANARY);
    expect(fs.readFileSync(path.join(outside, "f"), "utf8")).toBe(CANARY);
    expect({ mode: after.mode, mtime: after.mtimeMs, size: after.size }).toEqual({
      mode: before.mode,
      mtime: before.mtimeMs,
      size: before.size,
    });
    // Both outcomes happened: the race was real (some operations found the link inside, some outside).
    expect(served + refused).toBe(5000);
    expect(rendered + renderRefused).toBe(5000);
    expect(served).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(rendered).toBeGreaterThan(0);
    expect(renderRefused).toBeGreaterThan(0);
    console.log(`link race: ${served} served, ${refused} refused, ${rendered} rendered, ${renderRefused} renders refused`);
  }, 180_000);
});
