/**
 * Podman as a Docker Engine for the docker driver's end-to-end tests:
 * `podman --runtime runc system service` on a private unix socket (runc,
 * since crun fails on this host's hybrid cgroups), a containers.conf with
 * `default_ulimits = []` (container start fails on setrlimit otherwise), and
 * a local image `localhost/busybox:test` imported from a root file system
 * tar holding /bin/busybox and links (no registry is reachable).
 *
 * `.ci/install-system-packages` installs podman, runc and busybox-static.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";

/** The test image. */
export const BUSYBOX_IMAGE = "localhost/busybox:test";

/** A running podman API service. */
export interface PodmanService {
  /** `unix:///.../podman.sock`. */
  endpoint: string;
  /** Environment for podman commands (CONTAINERS_CONF). */
  env: NodeJS.ProcessEnv;
  /** Runs `podman <args>` with that environment; returns stdout (throws on failure). */
  podman(args: string[]): string;
  /** Stops the service and removes its files. */
  stop(): Promise<void>;
}

/** Why podman cannot be used here, or null when it can. */
export function podmanUnavailable(): string | null {
  if (process.platform !== "linux") return "podman tests need Linux";
  for (const [cmd, pkg] of [
    ["podman", "podman"],
    ["runc", "runc"],
  ]) {
    if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0)
      return `${cmd} is not installed (apt-get install -y ${pkg}; see .ci/install-system-packages)`;
  }
  if (!fs.existsSync("/bin/busybox")) return "/bin/busybox is missing (apt-get install -y busybox-static)";
  return null;
}

/** True when the socket answers `GET /_ping` with OK (within 2 s). */
function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: "/_ping", timeout: 2000 }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve(res.statusCode === 200 && body === "OK"));
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

const LINKS = [
  "sh",
  "echo",
  "cat",
  "sleep",
  "ls",
  "env",
  "true",
  "false",
  "printf",
  "test",
  "pwd",
  "touch",
  "id",
  "hostname",
  "httpd",
  "wget",
  "nc",
];

/** Starts podman's API service and imports the busybox image; waits (bounded) until `/_ping` answers. */
export async function startPodman(timeoutMs = 30_000): Promise<PodmanService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-podman-"));
  const conf = path.join(dir, "containers.conf");
  fs.writeFileSync(conf, "[containers]\ndefault_ulimits = []\n");
  const env = { ...process.env, CONTAINERS_CONF: conf };
  const podman = (args: string[]): string => {
    const r = spawnSync("podman", args, { env, encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw new Error(`podman ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  };
  const rootfs = path.join(dir, "rootfs");
  fs.mkdirSync(path.join(rootfs, "bin"), { recursive: true });
  fs.mkdirSync(path.join(rootfs, "tmp"));
  fs.copyFileSync("/bin/busybox", path.join(rootfs, "bin", "busybox"));
  fs.chmodSync(path.join(rootfs, "bin", "busybox"), 0o755);
  for (const l of LINKS) fs.symlinkSync("busybox", path.join(rootfs, "bin", l));
  const tar = path.join(dir, "rootfs.tar");
  const t = spawnSync("tar", ["-C", rootfs, "-cf", tar, "."]);
  if (t.status !== 0) throw new Error(`tar failed: ${t.stderr}`);
  podman(["import", tar, BUSYBOX_IMAGE]);
  const sock = path.join(dir, "podman.sock");
  const endpoint = `unix://${sock}`;
  let log = "";
  const child: ChildProcess = spawn("podman", ["--runtime", "runc", "system", "service", "--time=0", endpoint], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    try {
      podman(["rm", "--all", "--force"]);
    } catch {
      // nothing to remove
    }
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(sock) && (await ping(sock))) break;
    if (child.exitCode !== null || Date.now() > end) {
      await stop();
      throw new Error(`podman system service did not answer on ${sock} within ${timeoutMs} ms; output:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, env, podman, stop };
}
