/** `drover operator snapshot save|restore|inspect` end to end against the included runtime. */
import * as fs from "node:fs";
import * as path from "node:path";
import { api, mockJob, startTestAgent, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

describe("drover operator snapshot (against the included runtime)", () => {
  let source: TestAgent;
  let target: TestAgent;
  const files = tempDir();
  beforeAll(async () => {
    source = await startTestAgent({ simNodes: 1, client: false });
    target = await startTestAgent({ simNodes: 1, client: false });
    await api(source.address, "PUT", "/v1/jobs", { Job: mockJob("web") });
    await api(source.address, "PUT", "/v1/var/app/db", { Items: { user: "admin" } });
  });
  afterAll(async () => {
    files.cleanup();
    await source.stop();
    await target.stop();
  });

  it("save writes the file (mode 0600), refuses to overwrite, and restore brings the state into another agent", async () => {
    const save = await drover(source.address, files.dir, ["operator", "snapshot", "save", "backup.snap"]);
    expect(save).toMatchObject({ code: 0, err: "", out: "State file written to backup.snap\n" });
    const file = path.join(files.dir, "backup.snap");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
    const again = await drover(source.address, files.dir, ["operator", "snapshot", "save", "backup.snap"]);
    expect(again.code).toBe(1);
    expect(again.err).toBe('drover operator snapshot save: Destination file already exists: "backup.snap"\n');

    const restore = await drover(target.address, files.dir, ["operator", "snapshot", "restore", "backup.snap"]);
    expect(restore).toMatchObject({ code: 0, err: "", out: "Snapshot Restored\n" });
    expect((await api(target.address, "GET", "/v1/jobs")).body.map((j: { ID: string }) => j.ID)).toEqual(["web"]);
    expect((await api(target.address, "GET", "/v1/var/app/db")).body.Items).toEqual({ user: "admin" });
  });

  it("inspect shows the header and the tables, largest first; -json too", async () => {
    const r = await drover(source.address, files.dir, ["operator", "snapshot", "inspect", "backup.snap"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Created +=/);
    expect(r.out).toContain("Format        = drover-snapshot version 1\n");
    expect(r.out).toContain("Keyring       = 1 key\n");
    expect(r.out).toMatch(/^jobs +1 +\d/m);
    expect(r.out).toMatch(/^variables +1 +\d/m);
    expect(r.out).toMatch(/^Total +\d+ +\d/m);
    const json = JSON.parse((await drover(source.address, files.dir, ["operator", "snapshot", "inspect", "-json", "backup.snap"])).out);
    expect(json.Meta).toMatchObject({ Format: "drover-snapshot", Version: 1, Region: "global" });
    expect(JSON.stringify(json)).not.toMatch(/"Key":/);
    const sizes = json.Stats.map((s: { Sum: number }) => s.Sum);
    expect(sizes).toEqual([...sizes].sort((a: number, b: number) => b - a));
  });

  it("-redact leaves the keyring out: the variables cannot be restored where the key is not held", async () => {
    const save = await drover(source.address, files.dir, ["operator", "snapshot", "save", "-redact", "redacted.snap"]);
    expect(save.out).toBe("Redacting key material from snapshot\nState file written to redacted.snap\n");
    const inspect = await drover(source.address, files.dir, ["operator", "snapshot", "inspect", "redacted.snap"]);
    expect(inspect.out).toContain("Keyring       = 0 keys\n");
    const fresh = await startTestAgent({ client: false });
    try {
      const r = await drover(fresh.address, files.dir, ["operator", "snapshot", "restore", "redacted.snap"]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /variable "app\/db" in namespace "default" is encrypted with key "[0-9a-f-]+", which the snapshot does not carry/,
      );
    } finally {
      await fresh.stop();
    }
  });

  it("a file that is not a snapshot: inspect and restore say why (exit 1); usage errors exit 2; --help", async () => {
    fs.writeFileSync(path.join(files.dir, "junk.snap"), "junk");
    const inspect = await drover(source.address, files.dir, ["operator", "snapshot", "inspect", "junk.snap"]);
    expect(inspect).toMatchObject({
      code: 1,
      err: "drover operator snapshot inspect: Error inspecting snapshot: not a drover snapshot: it is not gzip-compressed\n",
    });
    const restore = await drover(target.address, files.dir, ["operator", "snapshot", "restore", "junk.snap"]);
    expect(restore.code).toBe(1);
    expect(restore.err).toContain("failed to restore from snapshot: not a drover snapshot: it is not gzip-compressed");
    const missing = await drover(target.address, files.dir, ["operator", "snapshot", "restore", "nope.snap"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^drover operator snapshot restore: Error opening snapshot file: ENOENT/);
    expect((await drover(target.address, files.dir, ["operator", "snapshot", "restore"])).code).toBe(2);
    expect((await drover(target.address, files.dir, ["operator", "snapshot", "save", "a", "b"])).code).toBe(2);
    for (const sub of ["save", "restore", "inspect"]) {
      const help = await drover(target.address, files.dir, ["operator", "snapshot", sub, "--help"]);
      expect(help.code).toBe(0);
      expect(help.out).toContain(`Usage: drover operator snapshot ${sub}`);
    }
    expect((await drover(target.address, files.dir, ["operator", "--help"])).out).toContain("snapshot inspect");
  });
});
