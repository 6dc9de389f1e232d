/** `drover var get|put|list|purge|lock` end to end against the included runtime. */
import * as fs from "node:fs";
import * as path from "node:path";
import { startTestAgent, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

describe("drover var", () => {
  let t: TestAgent;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    t = await startTestAgent({ client: false });
    tmp = tempDir();
  });
  afterAll(async () => {
    tmp.cleanup();
    await t.stop();
  });

  test("put, get in json, hcl and table, -item, list, purge", async () => {
    fs.writeFileSync(path.join(tmp.dir, "cert.pem"), "CERT");
    const put = await drover(t.address, tmp.dir, ["var", "put", "-out", "json", "app/web", "user=admin", "cert=@cert.pem"]);
    expect(put.err).toBe("");
    expect(put.code).toBe(0);
    const created = JSON.parse(put.out);
    expect(created).toMatchObject({ Path: "app/web", Items: { user: "admin", cert: "CERT" } });

    const json = await drover(t.address, tmp.dir, ["var", "get", "app/web"]);
    expect(JSON.parse(json.out).Items).toEqual({ user: "admin", cert: "CERT" });
    const hcl = await drover(t.address, tmp.dir, ["var", "get", "-out", "hcl", "app/web"]);
    expect(hcl.out).toContain(`path         = "app/web"`);
    expect(hcl.out).toContain(`items = {\n  cert = "CERT"\n  user = "admin"\n}`);
    const table = await drover(t.address, tmp.dir, ["var", "get", "-out", "table", "app/web"]);
    expect(table.out).toMatch(/Path\s+= app\/web/);
    expect(table.out).toMatch(/Check Index\s+= \d+/);
    const item = await drover(t.address, tmp.dir, ["var", "get", "-item", "user", "app/web"]);
    expect(item.out).toBe("admin");

    await drover(t.address, tmp.dir, ["var", "put", "app/db", "a=b"]);
    const list = await drover(t.address, tmp.dir, ["var", "list", "-out", "table", "app/"]);
    expect(list.out.split("\n")[0]).toMatch(/^Path\s+Last Updated$/);
    expect(list.out).toContain("app/db");
    const terse = await drover(t.address, tmp.dir, ["var", "list", "-out", "terse"]);
    expect(terse.out).toBe("app/db\napp/web\n");

    const stale = await drover(t.address, tmp.dir, ["var", "put", "-check-index", "999", "app/web", "user=x"]);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain("Check-and-Set conflict");
    const purgeStale = await drover(t.address, tmp.dir, ["var", "purge", "-check-index", "999", "app/web"]);
    expect(purgeStale.code).toBe(1);
    const purge = await drover(t.address, tmp.dir, ["var", "purge", "-check-index", String(created.ModifyIndex), "app/web"]);
    expect(purge.out).toBe(`Successfully purged variable "app/web"!\n`);
    const gone = await drover(t.address, tmp.dir, ["var", "get", "app/web"]);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain("Variable not found");
  });

  test("unsupported formats are refused with a usage error", async () => {
    const r = await drover(t.address, tmp.dir, ["var", "get", "-out", "go-template", "app/db"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("-out go-template is not supported by drover");
    const hcl = await drover(t.address, tmp.dir, ["var", "put", "-in", "hcl", "-", "a=b"]);
    expect(hcl.code).toBe(2);
  });

  test("lock runs the child while holding the lock and releases it after", async () => {
    const r = await drover(t.address, tmp.dir, ["var", "lock", "-ttl", "10s", "locks/job", "sh", "-c", "'echo held; exit 3'"]);
    expect(r.out).toBe("held\n");
    expect(r.code).toBe(3);
    const after = await drover(t.address, tmp.dir, ["var", "get", "locks/job"]);
    expect(JSON.parse(after.out).Lock).toBeUndefined();

    // Someone else holds it: -early-return gives up at once.
    const held = await fetch(`${t.address}/v1/var/locks/job?lock-acquire`, {
      method: "PUT",
      body: JSON.stringify({ Lock: { TTL: "10s" } }),
    });
    expect(held.status).toBe(200);
    const busy = await drover(t.address, tmp.dir, ["var", "lock", "-early-return", "locks/job", "true"]);
    expect(busy.code).toBe(1);
    expect(busy.err).toContain(`lock on "locks/job" is held by someone else`);
  });
});
