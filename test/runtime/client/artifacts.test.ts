/**
 * End-to-end: artifacts fetched before a raw_exec task starts, from an
 * HTTP server on 127.0.0.1 (with a checksum and a header) and from a
 * file:// source; a .tar.gz is unpacked into the task directory; a wrong
 * checksum fails the task with "Failed Artifact Download" and the restart
 * policy applied.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { api, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { allocsOf, rawExecJob, taskDirOf } from "../drivers/jobs";

describe("artifacts", () => {
  let t: TestAgent;
  let server: http.Server;
  let base: string;
  let dir: string;
  let sha: string;
  const seen: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-artifacts-"));
    fs.mkdirSync(path.join(dir, "src", "conf"), { recursive: true });
    fs.writeFileSync(path.join(dir, "src", "conf", "app.txt"), "from the archive\n");
    execFileSync("tar", ["-czf", path.join(dir, "app.tar.gz"), "-C", path.join(dir, "src"), "conf"]);
    const tgz = fs.readFileSync(path.join(dir, "app.tar.gz"));
    sha = createHash("sha256").update(tgz).digest("hex");
    fs.writeFileSync(path.join(dir, "plain.txt"), "plain file\n");
    server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers["x-token"] ?? ""}`);
      if (req.url === "/app.tar.gz" && req.headers["x-token"] === "s3cret") {
        res.writeHead(200, { "content-type": "application/gzip" });
        res.end(tgz);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await startTestAgent({ plugins: { raw_exec: { enabled: true } } });
  });
  afterAll(async () => {
    await t?.stop();
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const events = async (allocID: string) =>
    ((await api(t.address, "GET", `/v1/allocation/${allocID}`)).body.TaskStates?.main?.Events ?? []) as {
      Type: string;
      DisplayMessage: string;
    }[];

  it("downloads with a checksum and a header, unpacks the archive, and fetches a file:// source", async () => {
    const job = rawExecJob("art", "batch", {
      command: "/bin/sh",
      args: ["-c", 'cat local/conf/app.txt local/extra/plain.txt > "$NOMAD_ALLOC_DIR/out"'],
    });
    job.TaskGroups[0].Tasks[0].Artifacts = [
      { GetterSource: `${base}/app.tar.gz`, GetterOptions: { checksum: `sha256:${sha}` }, GetterHeaders: { "X-Token": "s3cret" } },
      { GetterSource: `file://${path.join(dir, "plain.txt")}`, RelativeDest: "local/extra/" },
    ];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the task to complete", async () => {
      const x = (await allocsOf(t.address, "art"))[0];
      return x?.ClientStatus === "complete" ? x : null;
    });
    const allocDir = path.join(path.dirname(taskDirOf(t, a.ID, "main")), "alloc");
    expect(fs.readFileSync(path.join(allocDir, "out"), "utf8")).toBe("from the archive\nplain file\n");
    expect(seen).toContain("/app.tar.gz s3cret");
  });

  it("a wrong checksum fails the task with Failed Artifact Download, after the restart policy's attempts", async () => {
    const job = rawExecJob("badsum", "batch", { command: "/bin/true" }, { Attempts: 1, Interval: 600e9, Delay: 10e6, Mode: "fail" });
    job.TaskGroups[0].Tasks[0].Artifacts = [
      {
        GetterSource: `${base}/app.tar.gz`,
        GetterOptions: { checksum: `sha256:${"0".repeat(64)}` },
        GetterHeaders: { "X-Token": "s3cret" },
      },
    ];
    await api(t.address, "PUT", "/v1/jobs", { Job: job });
    const a = await waitFor("the task to fail", async () => {
      const x = (await allocsOf(t.address, "badsum"))[0];
      return x?.ClientStatus === "failed" ? x : null;
    });
    const ev = await events(a.ID);
    const failures = ev.filter((e) => e.Type === "Failed Artifact Download");
    expect(failures).toHaveLength(2);
    expect(failures[0].DisplayMessage).toBe(
      `failed to download artifact "${base}/app.tar.gz": checksums did not match: expected ${"0".repeat(64)}, got ${sha}`,
    );
    expect(ev.at(-1)?.Type).toBe("Not Restarting");
  });

  it("honours the client's size limit (client.artifact.http_max_size)", async () => {
    const small = await startTestAgent({
      plugins: { raw_exec: { enabled: true } },
      artifactLimits: { httpReadTimeoutMs: 30_000, httpMaxBytes: 10 },
    });
    try {
      const job = rawExecJob("toobig", "batch", { command: "/bin/true" });
      job.TaskGroups[0].Tasks[0].Artifacts = [{ GetterSource: `${base}/app.tar.gz`, GetterHeaders: { "X-Token": "s3cret" } }];
      await api(small.address, "PUT", "/v1/jobs", { Job: job });
      const a = await waitFor("the allocation", async () => (await allocsOf(small.address, "toobig"))[0]);
      const f = await waitFor("the failure event", async () =>
        ((await api(small.address, "GET", `/v1/allocation/${a.ID}`)).body.TaskStates?.main?.Events ?? []).find(
          (e: { Type: string }) => e.Type === "Failed Artifact Download",
        ),
      );
      expect(f.DisplayMessage).toMatch(/exceeds the client's limit of 10/);
    } finally {
      await small.stop();
    }
  });

  it("a destination outside the task directory is refused at registration (a 500 with the validation error, as Nomad answers)", async () => {
    const job = rawExecJob("escape", "batch", { command: "/bin/true" });
    job.TaskGroups[0].Tasks[0].Artifacts = [{ GetterSource: `file://${path.join(dir, "plain.txt")}`, RelativeDest: "../../../../tmp/x" }];
    const r = await api(t.address, "PUT", "/v1/jobs", { Job: job });
    expect(r.status).toBe(500);
    expect(r.text).toContain('destination "../../../../tmp/x" escapes the allocation directory');
  });
});
