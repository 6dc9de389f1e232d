/**
 * Tasks as a user: the user's uid, gid and supplementary groups resolved
 * from the user database; an agent that is not root runs only its own user
 * (anything else fails clearly); a root agent's raw_exec task with `user`
 * (or the agent's default task user) runs as that user, and a missing user
 * is a task failure event that names it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolveTaskUser, switchNeeded, userEnv } from "../../../lib/runtime/drivers/task-user";
import { rawExecJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";
import { allocsOf, taskDirOf } from "./jobs";

describe("resolveTaskUser and switchNeeded", () => {
  let dir: string;
  let files: { passwd: string; group: string };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-users-"));
    files = { passwd: path.join(dir, "passwd"), group: path.join(dir, "group") };
    fs.writeFileSync(
      files.passwd,
      [
        "root:x:0:0:root:/root:/bin/sh",
        "# a comment",
        "app:x:1500:1500:App:/srv/app:/bin/sh",
        "lonely:x:1600:1600::/nonexistent:/bin/false",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(
      files.group,
      ["root:x:0:", "app:x:1500:", "docker:x:999:app,other", "audio:x:29:other", "web:x:1700:app", ""].join("\n"),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("resolves uid, primary gid, supplementary groups and home; by name or uid", () => {
    expect(resolveTaskUser("app", files)).toEqual({ name: "app", uid: 1500, gid: 1500, groups: [999, 1700], home: "/srv/app" });
    expect(resolveTaskUser("1600", files)).toEqual({ name: "lonely", uid: 1600, gid: 1600, groups: [], home: "/nonexistent" });
    expect(() => resolveTaskUser("ghost", files)).toThrow(`user "ghost" not found in ${files.passwd}`);
    expect(userEnv(resolveTaskUser("app", files))).toEqual({ USER: "app", LOGNAME: "app", HOME: "/srv/app" });
  });

  it("switches as root, runs its own user as it is otherwise, and refuses any other user when not root", () => {
    const app = resolveTaskUser("app", files);
    expect(switchNeeded(app, 0)).toBe(true);
    expect(switchNeeded(app, 1500)).toBe(false);
    expect(() => switchNeeded(app, 1000)).toThrow(
      'cannot run the task as user "app" (uid 1500): the agent runs as uid 1000, not root, and only root can switch users',
    );
  });
});

const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync("setpriv", ["--version"]).status === 0;
const nobody = (() => {
  try {
    return resolveTaskUser("nobody");
  } catch {
    return null;
  }
})();
const describeAsRoot = isRoot && hasSetpriv && nobody ? describe : describe.skip;
if (!(isRoot && hasSetpriv && nobody))
  console.warn("task user end-to-end tests skipped: they need root, setpriv (util-linux) and a nobody user");

describeAsRoot("raw_exec tasks as a user (agent as root)", () => {
  let t: TestAgent;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-task-user-"));
    fs.chmodSync(dataDir, 0o755);
    t = await startTestAgent({ dataDir, plugins: { raw_exec: { enabled: true } } });
  });
  afterAll(async () => {
    await t?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const ids =
    'echo secret > "$NOMAD_SECRETS_DIR/s" && printf "%s %s %s %s %s\\n" "$(id -u)" "$(id -g)" "$(id -G)" "$USER" "$HOME" > "$NOMAD_TASK_DIR/who"';
  const done = (jobID: string) =>
    waitFor(`${jobID} to finish`, async () => {
      const a = (await allocsOf(t.address, jobID))[0];
      return a && (a.ClientStatus === "complete" || a.ClientStatus === "failed") ? a : null;
    });

  it("runs a task with user = nobody as nobody, with its groups and environment, writing its own directories (secrets too)", async () => {
    const job = rawExecJob("as-nobody", "batch", { command: "/bin/sh", args: ["-c", ids] });
    job.TaskGroups[0].Tasks[0].User = "nobody";
    expect((await fetch(`${t.address}/v1/jobs`, { method: "PUT", body: JSON.stringify({ Job: job }) })).status).toBe(200);
    const a = await done("as-nobody");
    expect(a.ClientStatus).toBe("complete");
    const who = fs.readFileSync(path.join(taskDirOf(t, a.ID, "main"), "local", "who"), "utf8").trim();
    expect(who).toBe(`${nobody!.uid} ${nobody!.gid} ${[nobody!.gid, ...nobody!.groups].join(" ")} nobody ${nobody!.home}`);
  });

  it("fails a task whose user does not exist with a Driver Failure that names it", async () => {
    const job = rawExecJob("as-ghost", "batch", { command: "/bin/true" });
    job.TaskGroups[0].Tasks[0].User = "drover-no-such-user";
    await fetch(`${t.address}/v1/jobs`, { method: "PUT", body: JSON.stringify({ Job: job }) });
    const a = await done("as-ghost");
    expect(a.ClientStatus).toBe("failed");
    const full = (await (await fetch(`${t.address}/v1/allocation/${a.ID}`)).json()) as {
      TaskStates: Record<string, { Events: { Type: string; DisplayMessage: string }[] }>;
    };
    const failure = full.TaskStates.main.Events.find((e) => e.Type === "Driver Failure");
    expect(failure?.DisplayMessage).toBe('failed to start task: user "drover-no-such-user" not found in /etc/passwd');
  });

  it("runs tasks without user as the agent's default task user", async () => {
    const other = await startTestAgent({
      dataDir: path.join(dataDir, "second"),
      plugins: { raw_exec: { enabled: true } },
      defaultTaskUser: "nobody",
    });
    try {
      const job = rawExecJob("default-user", "batch", { command: "/bin/sh", args: ["-c", ids] });
      expect((await fetch(`${other.address}/v1/jobs`, { method: "PUT", body: JSON.stringify({ Job: job }) })).status).toBe(200);
      const a = await waitFor("the task to finish", async () => {
        const x = (await allocsOf(other.address, "default-user"))[0];
        return x && x.ClientStatus !== "pending" && x.ClientStatus !== "running" ? x : null;
      });
      expect(a.ClientStatus).toBe("complete");
      const who = fs.readFileSync(path.join(taskDirOf(other, a.ID, "main"), "local", "who"), "utf8").trim();
      expect(who.split(" ")[0]).toBe(String(nobody!.uid));
    } finally {
      await other.stop();
    }
  });

  it("refuses to start with a default task user that does not exist", async () => {
    await expect(startTestAgent({ client: false, defaultTaskUser: "drover-no-such-user" })).rejects.toThrow(
      'default task user: user "drover-no-such-user" not found in /etc/passwd',
    );
  });
});
