/**
 * Artifacts through the allocation directory's sandbox (client/artifact.ts,
 * with real files, real `tar` and servers on 127.0.0.1): archive entries
 * with `..` or absolute names and links leading out of the destination are
 * refused with a clear message and nothing is written outside; a link the
 * task left in the destination is never followed out; `insecure = true`
 * skips TLS verification for https; `chown = true` gives the files to the
 * task's user when the agent is root.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fetchArtifact } from "../../../lib/runtime/client/artifact";

describe("artifacts through the sandbox", () => {
  let dir: string;
  let allocRoot: string;
  let taskDir: string;
  let outside: string;
  let server: http.Server;
  let base: string;
  const bodies = new Map<string, Buffer>();

  /** A tar archive of `files` (name → content; "->target" makes a link), with extra `tar` arguments (a `--transform` of the names). */
  function tarOf(name: string, files: Record<string, string>, extra: string[] = []): void {
    const src = fs.mkdtempSync(path.join(dir, "src-"));
    for (const [f, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(src, f)), { recursive: true });
      if (content.startsWith("->")) fs.symlinkSync(content.slice(2), path.join(src, f));
      else fs.writeFileSync(path.join(src, f), content, { mode: f.endsWith(".sh") ? 0o755 : 0o644 });
    }
    execFileSync("tar", ["-cf", path.join(dir, name), "-C", src, ...extra, ...Object.keys(files)]);
    bodies.set(`/${name}`, fs.readFileSync(path.join(dir, name)));
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-artifact-unit-"));
    outside = path.join(dir, "outside");
    fs.mkdirSync(outside);
    server = http.createServer((req, res) => {
      const body = bodies.get(req.url ?? "");
      res.writeHead(body ? 200 : 404);
      res.end(body ?? "");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    tarOf("dotdot.tar", { b: "escaped\n" }, ["--transform", "s,^b,../../../outside/b,"]);
    const abs = path.join(dir, "abs-src");
    fs.mkdirSync(abs);
    fs.writeFileSync(path.join(abs, "a"), "absolute\n");
    execFileSync("tar", ["-cPf", path.join(dir, "abs.tar"), path.join(abs, "a")]);
    bodies.set("/abs.tar", fs.readFileSync(path.join(dir, "abs.tar")));
    tarOf("outlink.tar", { "conf/app.txt": "x\n", "conf/passwd": "->../../../outside" });
    tarOf("abslink.tar", { "conf/app.txt": "x\n", passwd: "->/etc/passwd" });
    tarOf("inlink.tar", { "conf/app.txt": "inside\n", "conf/current": "->app.txt", "bin/run.sh": "#!/bin/sh\n" });
    bodies.set("/plain.txt", Buffer.from("plain\n"));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    allocRoot = fs.mkdtempSync(path.join(dir, "alloc-"));
    taskDir = path.join(allocRoot, "main");
    fs.mkdirSync(path.join(taskDir, "local"), { recursive: true });
  });

  const fetchOne = (source: string, extra: Record<string, unknown> = {}) =>
    fetchArtifact({ GetterSource: `${base}/${source}`, ...extra }, taskDir, allocRoot);

  it("refuses an archive entry with '..', writing nothing", async () => {
    await expect(fetchOne("dotdot.tar")).rejects.toThrow("entry contains '..': ../../../outside/b");
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.readdirSync(path.join(taskDir, "local"))).toEqual([]);
  });

  it("refuses an archive entry with an absolute name", async () => {
    await expect(fetchOne("abs.tar")).rejects.toThrow(/^entry is an absolute path: \//);
    expect(fs.readdirSync(path.join(taskDir, "local"))).toEqual([]);
  });

  it("refuses links that resolve outside the destination (Nomad's sandbox escape)", async () => {
    await expect(fetchOne("outlink.tar")).rejects.toThrow("artifact includes symlink that resolves outside of sandbox");
    await expect(fetchOne("abslink.tar")).rejects.toThrow("artifact includes symlink that resolves outside of sandbox");
  });

  it("unpacks files, modes and links that stay inside", async () => {
    await fetchOne("inlink.tar");
    const local = path.join(taskDir, "local");
    expect(fs.readFileSync(path.join(local, "conf", "current"), "utf8")).toBe("inside\n");
    expect(fs.readlinkSync(path.join(local, "conf", "current"))).toBe("app.txt");
    expect(fs.readFileSync(path.join(local, "bin", "run.sh"), "utf8")).toBe("#!/bin/sh\n");
    expect(fs.statSync(path.join(local, "bin", "run.sh")).mode & 0o100).toBe(0o100);
  });

  it("never follows a link the task left in the destination out of the allocation directory", async () => {
    fs.rmSync(path.join(taskDir, "local"), { recursive: true });
    fs.symlinkSync(outside, path.join(taskDir, "local"));
    await expect(fetchOne("plain.txt")).rejects.toThrow(/is outside the allocation directory/);
    await expect(fetchOne("inlink.tar")).rejects.toThrow(/is outside the allocation directory/);
    fs.mkdirSync(path.join(taskDir, "conf"));
    fs.symlinkSync(outside, path.join(taskDir, "conf", "evil"));
    await expect(fetchOne("plain.txt", { RelativeDest: "conf/evil/x.txt", GetterMode: "file" })).rejects.toThrow(
      /is outside the allocation directory/,
    );
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it("insecure = true skips TLS verification for https; without it the self-signed certificate is refused", async () => {
    const key = path.join(dir, "tls.key");
    const cert = path.join(dir, "tls.crt");
    execFileSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
    ]);
    const tls = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => {
      res.writeHead(200);
      res.end("over tls\n");
    });
    await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
    try {
      const source = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/tls.txt`;
      await expect(fetchArtifact({ GetterSource: source }, taskDir, allocRoot)).rejects.toThrow();
      expect(fs.existsSync(path.join(taskDir, "local", "tls.txt"))).toBe(false);
      await fetchArtifact({ GetterSource: source, GetterInsecure: true }, taskDir, allocRoot);
      expect(fs.readFileSync(path.join(taskDir, "local", "tls.txt"), "utf8")).toBe("over tls\n");
    } finally {
      await new Promise((r) => tls.close(r));
    }
  });

  (process.getuid?.() === 0 ? it : it.skip)("chown = true gives the files to the task's user (agent running as root)", async () => {
    const nobody = Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim());
    await fetchArtifact({ GetterSource: `${base}/inlink.tar`, Chown: true }, taskDir, allocRoot, undefined, { user: "nobody" });
    const local = path.join(taskDir, "local");
    expect(fs.statSync(path.join(local, "conf", "app.txt")).uid).toBe(nobody);
    expect(fs.lstatSync(path.join(local, "conf", "current")).uid).toBe(nobody);
    expect(fs.statSync(local).uid).toBe(nobody);
    // Without chown the files stay the agent's.
    await fetchArtifact({ GetterSource: `${base}/plain.txt` }, taskDir, allocRoot, undefined, { user: "nobody" });
    expect(fs.statSync(path.join(local, "plain.txt")).uid).toBe(process.getuid!());
  });
});
