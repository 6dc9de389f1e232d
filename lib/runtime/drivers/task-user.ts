/**
 * Running a task as a user (`user` in the task, or the agent's default task
 * user), as Nomad's executor does (`setCmdUser` in
 * drivers/shared/executor/executor_unix.go): the user's uid, primary gid and
 * supplementary groups come from the user database (`/etc/passwd`,
 * `/etc/group`), and the task gets `USER`, `LOGNAME` and `HOME` of that user.
 *
 * Only root can switch users. An agent that is not root runs a task whose
 * user is itself; any other user fails the task (Nomad's executor fails the
 * same way, with the kernel's "operation not permitted").
 */
import * as fs from "node:fs";

/** A local user, resolved. */
export interface TaskUser {
  /** The user name. */
  name: string;
  /** User ID. */
  uid: number;
  /** Primary group ID. */
  gid: number;
  /** Supplementary group IDs (groups of `/etc/group` that list the user), without the primary one. */
  groups: number[];
  /** Home directory ("" when the database has none). */
  home: string;
}

function readDatabase(file: string): string[][] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => l.split(":"));
}

/**
 * Resolves a user by name (or by numeric uid, as Go's `user.Lookup` callers
 * accept); throws `user "x" not found in /etc/passwd`.
 */
export function resolveTaskUser(name: string, files: { passwd?: string; group?: string } = {}): TaskUser {
  const passwd = files.passwd ?? "/etc/passwd";
  const entry =
    readDatabase(passwd).find((f) => f[0] === name) ?? (/^\d+$/.test(name) ? readDatabase(passwd).find((f) => f[2] === name) : undefined);
  if (!entry) throw new Error(`user ${JSON.stringify(name)} not found in ${passwd}`);
  const uid = Number(entry[2]);
  const gid = Number(entry[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`user ${JSON.stringify(name)} has a malformed entry in ${passwd}`);
  const groups: number[] = [];
  try {
    for (const g of readDatabase(files.group ?? "/etc/group")) {
      const members = (g[3] ?? "").split(",").map((m) => m.trim());
      const id = Number(g[2]);
      if (members.includes(entry[0]) && Number.isInteger(id) && id !== gid && !groups.includes(id)) groups.push(id);
    }
  } catch {
    // no group database: no supplementary groups
  }
  return { name: entry[0], uid, gid, groups, home: entry[5] ?? "" };
}

/** The environment Nomad's executor sets for a task run as `user`. */
export function userEnv(user: TaskUser): Record<string, string> {
  return { USER: user.name, LOGNAME: user.name, HOME: user.home };
}

/**
 * Whether the agent must switch to `user` (it is root and the user is
 * another), may run the task as it is (the user is the agent's own), or
 * cannot (not root): the refusal says why.
 */
export function switchNeeded(user: TaskUser, agentUid: number | undefined = process.getuid?.()): boolean {
  if (agentUid === undefined) throw new Error(`running tasks as user ${JSON.stringify(user.name)} is not supported on this platform`);
  if (agentUid === 0) return user.uid !== 0 || user.gid !== 0 || user.groups.length > 0;
  if (agentUid === user.uid) return false;
  throw new Error(
    `cannot run the task as user ${JSON.stringify(user.name)} (uid ${user.uid}): the agent runs as uid ${agentUid}, not root, and only root can switch users (Nomad's executor fails the same way: operation not permitted)`,
  );
}

/** The `setpriv` command (util-linux), which switches uid, gid and supplementary groups before exec'ing the task; null when absent. */
function findSetpriv(): string | null {
  for (const dir of ["/usr/bin", "/bin", "/usr/sbin", "/sbin", ...(process.env.PATH ?? "").split(":")]) {
    if (!dir) continue;
    const p = `${dir}/setpriv`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The command line that runs `file argv` as `user`: through `setpriv` with
 * the user's uid, gid and supplementary groups (the pid stays the task's, as
 * setpriv execs); without setpriv, spawn's own uid/gid (which clears the
 * supplementary groups) for a user that has none, else an error.
 */
export function commandAsUser(
  user: TaskUser,
  file: string,
  argv: string[],
): { file: string; argv: string[]; ids?: { uid: number; gid: number } } {
  const setpriv = findSetpriv();
  if (setpriv)
    return {
      file: setpriv,
      argv: [
        `--reuid=${user.uid}`,
        `--regid=${user.gid}`,
        user.groups.length > 0 ? `--groups=${user.groups.join(",")}` : "--clear-groups",
        "--",
        file,
        ...argv,
      ],
    };
  if (user.groups.length === 0) return { file, argv, ids: { uid: user.uid, gid: user.gid } };
  throw new Error(
    `running a task as user ${JSON.stringify(user.name)}, who has supplementary groups, needs the setpriv command (util-linux)`,
  );
}

/**
 * Makes a task's `secrets/` directory (0700) the user's, so that a task run
 * as that user can use it; the directory is opened without following a link
 * and changed through its descriptor.
 */
export function giveSecretsDir(dir: string, user: TaskUser): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    fs.fchownSync(fd, user.uid, user.gid);
  } finally {
    fs.closeSync(fd);
  }
}
