/**
 * What `/v1/agent/host` reports of the machine the agent runs on (Nomad's
 * `command/agent/host`): the kernel as `uname` gives it, the network
 * interfaces, `/etc/resolv.conf` and `/etc/hosts`, the agent's environment
 * with secrets redacted, and the usage of each mounted file system.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import type { HostData } from "../../api/types/agent";

/** Nomad's default `env_denylist`: variables whose values are redacted. */
const ENV_DENY = new Set([
  "CONSUL_TOKEN",
  "CONSUL_HTTP_TOKEN",
  "CONSUL_HTTP_TOKEN_FILE",
  "NOMAD_TOKEN",
  "VAULT_TOKEN",
  "CONSUL_LICENSE",
  "NOMAD_LICENSE",
  "VAULT_LICENSE",
  "CONSUL_LICENSE_PATH",
  "NOMAD_LICENSE_PATH",
  "VAULT_LICENSE_PATH",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_METADATA_URL",
  "GOOGLE_APPLICATION_CREDENTIALS",
  "GOOGLE_OAUTH_ACCESS_TOKEN",
]);

/** File systems Nomad leaves out of the disk report, besides those without a device. */
const SKIPPED_FS = new Set([
  "autofs",
  "binfmt_misc",
  "cgroup",
  "debugfs",
  "devpts",
  "devtmpfs",
  "fusectl",
  "fuse.lxcfs",
  "hugetlbfs",
  "mqueue",
  "procfs",
  "pstore",
  "rpc_pipefs",
  "securityfs",
  "sysfs",
  "tmpfs",
  "vboxsf",
  "ptyfs",
]);

/** The file system types that need no device (`nodev` in /proc/filesystems): Nomad lists only physical partitions. */
function nodevTypes(): Set<string> {
  const out = new Set<string>();
  try {
    for (const line of fs.readFileSync("/proc/filesystems", "utf8").split("\n")) {
      const [flag, type] = line.split("\t");
      if (flag === "nodev" && type) out.add(type.trim());
    }
  } catch {
    // Not Linux: only the list above applies.
  }
  return out;
}

/** A file's content, or the error that kept it from being read (as Nomad's `slurp`). */
function slurp(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    return (err as Error).message;
  }
}

/** The environment with secrets redacted. */
export function redactedEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    const up = k.toUpperCase();
    out[k] = ENV_DENY.has(k) || up.includes("TOKEN") || up.includes("SECRET") ? "<redacted>" : v;
  }
  return out;
}

function network(): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    for (const a of addrs ?? [])
      out.push({
        name,
        type: a.family,
        address: a.address,
        netmask: a.netmask,
        string: a.cidr ?? a.address,
        mac: a.mac,
        internal: String(a.internal),
      });
  }
  return out;
}

function disks(): Record<string, { DiskMB: number; UsedMB: number }> {
  const out: Record<string, { DiskMB: number; UsedMB: number }> = {};
  let mounts: string;
  try {
    mounts = fs.readFileSync("/proc/mounts", "utf8");
  } catch {
    return out;
  }
  const MiB = 1024 * 1024;
  const nodev = nodevTypes();
  for (const line of mounts.split("\n")) {
    const [, mountPoint, fsType] = line.split(" ");
    if (!mountPoint || !fsType || SKIPPED_FS.has(fsType) || nodev.has(fsType) || mountPoint in out) continue;
    const point = mountPoint.replace(/\\040/g, " ");
    try {
      const s = fs.statfsSync(point);
      out[point] = { DiskMB: Math.floor((s.blocks * s.bsize) / MiB), UsedMB: Math.floor(((s.blocks - s.bfree) * s.bsize) / MiB) };
    } catch {
      // Not readable by the agent: left out, as Nomad leaves it out.
    }
  }
  return out;
}

/** The host data of this machine now. */
export function makeHostData(): HostData {
  return {
    OS: [os.machine(), os.hostname(), os.release(), os.type(), os.version()].join(" "),
    Network: network(),
    ResolvConf: slurp("/etc/resolv.conf"),
    Hosts: slurp("/etc/hosts"),
    Environment: redactedEnvironment(),
    Disk: disks(),
  };
}
