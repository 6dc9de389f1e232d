/**
 * What this process holds, read from /proc (Linux): open descriptors,
 * zombie children, and processes working under a directory. Used by the
 * leak tests of the real drivers and by `npm run bench -- drivers`.
 */
import * as fs from "node:fs";

/** The targets of this process's open file descriptors. */
export function openFds(): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    try {
      out.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** PIDs of this process's children in state Z (exited, not reaped). */
export function zombieChildren(): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (rest[0] === "Z" && Number(rest[1]) === process.pid) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}

/** PIDs of processes whose working directory is under `root`. */
export function processesUnder(root: string): number[] {
  const out: number[] = [];
  for (const p of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (fs.readlinkSync(`/proc/${p}/cwd`).startsWith(root)) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}
