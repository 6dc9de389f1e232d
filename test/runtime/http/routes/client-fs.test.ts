/** The client endpoints over HTTP: task logs (plain, framed, origin/offset, follow), fs ls/stat/cat/readat, path escapes, stats, and the typed lib/api calls. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NomadApiError, NomadClient } from "../../../../lib/api";
import { AllocDirLayout } from "../../../../lib/runtime/client/alloc-dir";
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../../../helpers/runtime";

describe("client file system and logs", () => {
  let t: TestAgent;
  let dataDir: string;
  let allocID: string;
  let layout: AllocDirLayout;
  let client: NomadClient;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-observe-fs-"));
    t = await startTestAgent({ dataDir });
    client = new NomadClient({ address: t.address });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("logs") });
    const alloc = await waitFor("a running allocation", async () => {
      const l = (await api(t.address, "GET", "/v1/job/logs/allocations")).body as { ID: string; ClientStatus: string }[];
      return l.find((a) => a.ClientStatus === "running");
    });
    allocID = alloc.ID;
    layout = new AllocDirLayout(path.join(dataDir, "client"), allocID);
    // Log files of a task "app" (two rotations) and a data file, as a long-running task would leave them.
    fs.mkdirSync(layout.logsDir, { recursive: true });
    fs.writeFileSync(layout.logFile("app", "stdout", 0), "hello from the mock task\n");
    fs.writeFileSync(layout.logFile("app", "stdout", 1), "second file\n");
    fs.mkdirSync(path.join(layout.sharedDir, "data"), { recursive: true });
    fs.writeFileSync(path.join(layout.sharedDir, "data", "state.json"), '{"ok":true}');
  });
  afterAll(async () => {
    await client.close();
    await t.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves a task's log as plain text across rotated files, from the start or the end", async () => {
    const all = await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=app&type=stdout&plain=true`);
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("text/plain");
    expect(all.text).toBe("hello from the mock task\nsecond file\n");
    const tail = await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=app&type=stdout&plain=true&origin=end&offset=17`);
    expect(tail.text).toBe("task\nsecond file\n");
    const skip = await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=app&type=stdout&plain=true&offset=6`);
    expect(skip.text).toBe("from the mock task\nsecond file\n");
  });

  it("frames the log as Nomad's JSON stream without plain=true", async () => {
    const frames: { Offset: number; Data: Buffer; File: string }[] = [];
    for await (const f of client.client.fs.logs(allocID, "app")) frames.push(f);
    expect(frames.map((f) => f.File)).toEqual(["alloc/logs/app.stdout.0", "alloc/logs/app.stdout.1"]);
    expect(frames.map((f) => f.Data.toString())).toEqual(["hello from the mock task\n", "second file\n"]);
    expect(frames[0].Offset).toBe(25);
    const raw = await fetch(`${t.address}/v1/client/fs/logs/${allocID}?task=app&type=stdout`);
    expect(raw.headers.get("content-type")).toBe("application/json");
    expect(await raw.text()).toBe(
      `{"Offset":25,"Data":"${Buffer.from("hello from the mock task\n").toString("base64")}","File":"alloc/logs/app.stdout.0"}` +
        `{"Offset":12,"Data":"${Buffer.from("second file\n").toString("base64")}","File":"alloc/logs/app.stdout.1"}`,
    );
  });

  it("follows a log as it grows, and stops when asked", async () => {
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const f of client.client.fs.logs(allocID, "app", { follow: true, origin: "end", offset: 0, signal: abort.signal })) {
        seen.push(f.Data.toString());
        if (seen.join("").includes("later line")) abort.abort();
      }
    })().catch((err) => {
      if (!abort.signal.aborted) throw err;
    });
    await new Promise((r) => setTimeout(r, 150));
    fs.appendFileSync(layout.logFile("app", "stdout", 1), "a later line\n");
    await waitFor("the followed line", () => seen.join("").includes("a later line"));
    abort.abort();
    await reading;
    // As in Nomad, origin=end with offset 0 starts at the beginning of the newest file.
    expect(seen.join("")).toBe("second file\na later line\n");
  });

  it("answers 404 for an unknown allocation or a missing log, 400 for bad parameters", async () => {
    const unknown = await api(t.address, "GET", "/v1/client/fs/logs/00000000-0000-0000-0000-000000000000?task=app&type=stdout");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('Unknown allocation "00000000-0000-0000-0000-000000000000"');
    const missing = await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=app&type=stderr`);
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('log entry for task "app" and log type "stderr" not found');
    expect((await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=app&type=both`)).text).toBe(
      "must provide log type (stdout/stderr)",
    );
    expect((await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?type=stdout`)).text).toBe("must provide task name");
    expect((await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=app&type=stdout&origin=middle`)).text).toBe(
      "origin must be start or end",
    );
    expect((await api(t.address, "GET", `/v1/client/fs/logs/${allocID}?task=app&type=stdout&follow=perhaps`)).status).toBe(400);
    await expect(client.client.fs.logs(allocID, "nope").next()).rejects.toBeInstanceOf(NomadApiError);
  });

  it("lists, stats, cats and reads files of the allocation directory", async () => {
    const root = (await client.client.fs.ls(allocID)).data;
    expect(root.map((e) => e.Name)).toEqual(expect.arrayContaining(["alloc"]));
    expect(root.find((e) => e.Name === "alloc")).toMatchObject({ IsDir: true, FileMode: expect.stringMatching(/^d[rwx-]{9}$/) });
    const logs = (await client.client.fs.ls(allocID, "alloc/logs")).data;
    expect(logs.map((e) => [e.Name, e.Size, e.IsDir])).toEqual([
      ["app.stdout.0", 25, false],
      ["app.stdout.1", 12 + "a later line\n".length, false],
    ]);
    const st = (await client.client.fs.stat(allocID, "alloc/data/state.json")).data;
    expect(st).toMatchObject({ Name: "state.json", IsDir: false, Size: 11, ContentType: "application/json", FileMode: "-rw-r--r--" });
    expect((await client.client.fs.cat(allocID, "/alloc/data/state.json")).toString()).toBe('{"ok":true}');
    expect((await client.client.fs.readAt(allocID, "alloc/data/state.json", 1, 4)).toString()).toBe('"ok"');
    const cat = await api(t.address, "GET", `/v1/client/fs/cat/${allocID}?path=alloc/logs/app.stdout.0`);
    expect(cat.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(cat.text).toBe("hello from the mock task\n");
  });

  it("streams one file as frames, from the start or the end, following it until told to stop", async () => {
    const frames: string[] = [];
    for await (const f of client.client.fs.stream(allocID, "alloc/data/state.json", { follow: false }))
      frames.push(`${f.File}@${f.Offset}:${f.Data.toString()}`);
    expect(frames).toEqual(['alloc/data/state.json@11:{"ok":true}']);
    const end: string[] = [];
    for await (const f of client.client.fs.stream(allocID, "alloc/data/state.json", { follow: false, origin: "end", offset: 5 }))
      end.push(f.Data.toString());
    expect(end.join("")).toBe("true}");
    const file = path.join(layout.sharedDir, "data", "growing.txt");
    fs.writeFileSync(file, "a\n");
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const f of client.client.fs.stream(allocID, "alloc/data/growing.txt", { signal: abort.signal })) {
        seen.push(f.Data.toString());
        if (seen.join("") === "a\nb\n") abort.abort();
      }
    })().catch((err) => {
      if (!abort.signal.aborted) throw err;
    });
    await waitFor("the first line", () => seen.join("") === "a\n");
    fs.appendFileSync(file, "b\n");
    await reading;
    expect(seen.join("")).toBe("a\nb\n");
    expect((await api(t.address, "GET", `/v1/client/fs/stream/${allocID}?path=alloc/data`)).status).toBe(400);
    expect((await api(t.address, "GET", `/v1/client/fs/stream/${allocID}?path=../x`)).status).toBe(400);
  });

  it("refuses paths outside the allocation directory", async () => {
    for (const p of ["../../../../etc/passwd", "alloc/../../x", "/../../"]) {
      const r = await api(t.address, "GET", `/v1/client/fs/cat/${allocID}?path=${encodeURIComponent(p)}`);
      expect(r.status).toBe(400);
      expect(r.text).toContain("outside the allocation directory");
    }
    fs.symlinkSync("/etc", path.join(layout.sharedDir, "data", "escape"));
    const viaLink = await api(t.address, "GET", `/v1/client/fs/ls/${allocID}?path=alloc/data/escape`);
    expect(viaLink.status).toBe(400);
    expect((await api(t.address, "GET", `/v1/client/fs/stat/${allocID}?path=alloc/none`)).status).toBe(404);
    expect((await api(t.address, "GET", `/v1/client/fs/stat/${allocID}`)).text).toBe("must provide a file name");
    expect((await api(t.address, "GET", `/v1/client/fs/ls/not-an-alloc`)).status).toBe(404);
  });

  it("reports allocation and host stats in Nomad's shape", async () => {
    const s = (await client.client.allocationStats(allocID)).data;
    expect(Object.keys(s.Tasks)).toEqual(["main"]);
    expect(s.ResourceUsage.MemoryStats).toMatchObject({ RSS: expect.any(Number), Measured: expect.any(Array) });
    expect(s.Tasks.main.Timestamp).toBeGreaterThan(0);
    const host = (await client.client.stats()).data;
    expect(host.Memory?.Total).toBeGreaterThan(0);
    expect(host.CPU?.length).toBeGreaterThan(0);
    expect((await api(t.address, "GET", `/v1/client/allocation/${allocID}/stats?task=nope`)).status).toBe(400);
    expect((await api(t.address, "GET", "/v1/client/allocation/00000000-0000-0000-0000-000000000000/stats")).status).toBe(404);
  });
});
