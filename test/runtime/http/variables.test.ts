/**
 * Nomad Variables end to end: the included runtime's `/v1/vars` and
 * `/v1/var/:path` through lib/api's `client.variables` and raw HTTP:
 * check-and-set, locks with their TTL and lock delay, Nomad's path and size
 * rules, and items that are unreadable in the SQLite file.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { NomadApiError, NomadClient, VariableConflictError } from "../../../lib/api";
import { FakeClock } from "../../helpers/fake-clock";
import { startTestAgent, type TestAgent } from "../../helpers/runtime";

async function raw(address: string, method: string, p: string, body?: unknown): Promise<{ status: number; text: string; index: string }> {
  const r = await request(`${address}${p}`, { method: method as "GET", body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.statusCode, text: await r.body.text(), index: String(r.headers["x-nomad-index"] ?? "") };
}

describe("Nomad Variables", () => {
  let t: TestAgent;
  let nomad: NomadClient;
  const clock = new FakeClock();

  beforeAll(async () => {
    t = await startTestAgent({ client: false, clock });
    nomad = new NomadClient({ address: t.address });
  });
  afterAll(async () => {
    await nomad.close();
    await t.stop();
  });

  test("put, read, list with prefix and paging, delete", async () => {
    const put = await nomad.variables.put({ Path: "app/db", Items: { user: "admin", password: "hunter2" } });
    expect(put.data).toMatchObject({ Namespace: "default", Path: "app/db", Items: { user: "admin", password: "hunter2" } });
    expect(put.data.CreateIndex).toBe(put.data.ModifyIndex);
    expect(put.meta.index).toBe(put.data.ModifyIndex);
    await nomad.variables.put({ Path: "app/cache", Items: { url: "redis://x" } });
    await nomad.variables.put({ Path: "other/x", Items: { a: "1" } });

    const read = await nomad.variables.read("app/db");
    expect(read.data.Items).toEqual({ user: "admin", password: "hunter2" });

    const listed = await nomad.variables.list({ prefix: "app/" });
    expect(listed.data.map((v) => v.Path)).toEqual(["app/cache", "app/db"]);
    expect(listed.data[0]).not.toHaveProperty("Items");

    const page1 = await nomad.variables.list({ perPage: 2 });
    expect(page1.data.map((v) => v.Path)).toEqual(["app/cache", "app/db"]);
    expect(page1.meta.nextToken).toBe("default.other/x");
    const page2 = await nomad.variables.list({ perPage: 2, nextToken: page1.meta.nextToken });
    expect(page2.data.map((v) => v.Path)).toEqual(["other/x"]);
    expect(page2.meta.nextToken).toBe("");

    const other = await nomad.variables.list({ namespace: "prod" });
    expect(other.data).toEqual([]);

    const del = await raw(t.address, "DELETE", "/v1/var/other/x");
    expect(del.status).toBe(204);
    await expect(nomad.variables.read("other/x")).rejects.toMatchObject({ status: 404, body: "variable not found" });
    expect((await nomad.variables.peek("other/x")).data).toBeNull();
  });

  test("check-and-set: 409 with the current variable, as Nomad answers", async () => {
    const first = await nomad.variables.put({ Path: "cas/v", Items: { n: "1" } }, { checkIndex: 0 });
    // 0 means "only if it does not exist": it exists now.
    const again = await raw(t.address, "PUT", "/v1/var/cas/v?cas=0", { Items: { n: "x" } });
    expect(again.status).toBe(409);
    expect(JSON.parse(again.text)).toMatchObject({ Path: "cas/v", ModifyIndex: first.data.ModifyIndex, Items: { n: "1" } });

    const stale = nomad.variables.put({ Path: "cas/v", Items: { n: "2" } }, { checkIndex: first.data.ModifyIndex + 100 });
    await expect(stale).rejects.toBeInstanceOf(VariableConflictError);
    await stale.catch((e: VariableConflictError) => expect(e.conflict.Items).toEqual({ n: "1" }));

    const ok = await nomad.variables.put({ Path: "cas/v", Items: { n: "2" } }, { checkIndex: first.data.ModifyIndex });
    expect(ok.data.ModifyIndex).toBeGreaterThan(first.data.ModifyIndex);

    await expect(nomad.variables.delete("cas/v", { checkIndex: first.data.ModifyIndex })).rejects.toBeInstanceOf(VariableConflictError);
    await nomad.variables.delete("cas/v", { checkIndex: ok.data.ModifyIndex });
    expect((await nomad.variables.peek("cas/v")).data).toBeNull();

    const bad = await raw(t.address, "PUT", "/v1/var/cas/v?cas=abc", { Items: { n: "1" } });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("can not parse cas");
  });

  test("Nomad's path, size and body rules", async () => {
    const cases: [string, unknown, string][] = [
      ["/v1/var/has.dot", { Items: { a: "b" } }, 'invalid path "has.dot"'],
      ["/v1/var/nomad", { Items: { a: "b" } }, '"nomad" is a reserved top-level directory path'],
      ["/v1/var/nomad/other", { Items: { a: "b" } }, 'only paths at "nomad/jobs" or "nomad/job-templates"'],
      ["/v1/var/ok", {}, "variable missing required Items object"],
      ["/v1/var/ok", { Items: { a: 1 } }, 'Items["a"]: must be a string'],
      ["/v1/var/ok", { Items: { big: "x".repeat(64 * 1024) } }, "variables are limited to 64KiB in total size"],
      ["/v1/var/ok?namespace=*", { Items: { a: "b" } }, 'can not target wildcard ("*")namespace'],
      ["/v1/var/ok?lock-acquire&lock-release", {}, "multiple lock operations"],
      ["/v1/var/ok?lock-acquire&cas=1", {}, "CAS can't be used with lock operations"],
      ["/v1/var/ok?lock-acquire", { Lock: { TTL: "1s" } }, "TTL must be between 10 seconds and 24 hours"],
      ["/v1/var/ok", { Items: { a: "b" }, Lock: { TTL: "20s" } }, "variable should not contain lock definition"],
    ];
    for (const [p, body, message] of cases) {
      const r = await raw(t.address, "PUT", p, body);
      expect({ p, status: r.status, text: r.text }).toEqual({ p, status: 400, text: expect.stringContaining(message) });
    }
    expect((await nomad.variables.peek("ok")).data).toBeNull();
    await nomad.variables.put({ Path: "nomad/jobs/web/g/t", Items: { a: "b" } });
  });

  test("locks: acquire, conflict, renew, release; an unrenewed lock expires after its TTL and lock delay", async () => {
    const held = await nomad.variables.acquireLock({
      Path: "lock/leader",
      Items: { owner: "a" },
      Lock: { ID: "", TTL: "10s", LockDelay: "5s" },
    });
    const lockID = held.data.Lock?.ID ?? "";
    expect(lockID).toMatch(/^[0-9a-f-]{36}$/);
    expect(held.data.Lock).toMatchObject({ TTL: "10s", LockDelay: "5s" });

    // Someone else can neither take it nor write the variable.
    await expect(nomad.variables.acquireLock({ Path: "lock/leader" })).rejects.toBeInstanceOf(VariableConflictError);
    const write = await raw(t.address, "PUT", "/v1/var/lock/leader", { Items: { owner: "b" } });
    expect(write.status).toBe(409);
    expect(JSON.parse(write.text)).toEqual({
      Namespace: "default",
      Path: "lock/leader",
      CreateIndex: 0,
      CreateTime: 0,
      ModifyIndex: 0,
      ModifyTime: 0,
    });
    expect((await raw(t.address, "DELETE", "/v1/var/lock/leader")).status).toBe(409);
    // The holder can write it.
    await nomad.variables.put({ Path: "lock/leader", Items: { owner: "a2" }, Lock: { ID: lockID } });
    expect((await nomad.variables.read("lock/leader")).data.Lock?.ID).toBe(lockID);

    await expect(nomad.variables.renewLock("lock/leader", "not-the-holder")).rejects.toMatchObject({
      status: 409,
      body: "attempting to modify locked variable",
    });
    clock.advance(15_000);
    const renewed = await nomad.variables.renewLock("lock/leader", lockID);
    expect(renewed.Lock?.ID).toBe(lockID);
    clock.advance(15_000); // 30 s after acquire but 15 s after the renewal: still held (twice the TTL is 20 s)
    expect((await nomad.variables.read("lock/leader")).data.Lock?.ID).toBe(lockID);

    const released = await nomad.variables.releaseLock("lock/leader", lockID);
    expect(released.data.Lock).toBeUndefined();
    expect((await nomad.variables.read("lock/leader")).data).toMatchObject({ Items: { owner: "a2" } });
    await expect(nomad.variables.releaseLock("lock/leader", lockID)).rejects.toMatchObject({
      status: 409,
      body: "variable doesn't hold a lock",
    });

    // Not renewed: after twice the TTL the lock is lost but still held for the lock delay, then released.
    const again = await nomad.variables.acquireLock({ Path: "lock/leader", Lock: { ID: "", TTL: "10s", LockDelay: "5s" } });
    const id2 = again.data.Lock?.ID ?? "";
    // As Nomad's VarLockAcquire, the acquire writes the variable whole: an acquire without items leaves none.
    expect(again.data).not.toHaveProperty("Items");
    expect((await nomad.variables.read("lock/leader")).data).not.toHaveProperty("Items");
    clock.advance(20_000);
    // Lost but still held for the lock delay: no renewal, no one else.
    await expect(nomad.variables.renewLock("lock/leader", id2)).rejects.toMatchObject({
      status: 409,
      body: "attempting to modify locked variable",
    });
    await expect(nomad.variables.acquireLock({ Path: "lock/leader" })).rejects.toBeInstanceOf(VariableConflictError);
    const index = (await nomad.variables.read("lock/leader")).meta.index;
    clock.advance(5_000);
    const after = await nomad.variables.read("lock/leader", { index, wait: 5_000 });
    expect(after.data.Lock).toBeUndefined();
    const taken = await nomad.variables.acquireLock({ Path: "lock/leader" });
    expect(taken.data.Lock).toMatchObject({ TTL: "15s", LockDelay: "15s" });
  });

  test("locks: an acquire brings its items; renew and release refusals as Nomad answers them", async () => {
    await nomad.variables.put({ Path: "lock/items", Items: { config: "old" } });
    const held = await nomad.variables.acquireLock({ Path: "lock/items", Items: { leader: "me" }, Lock: { ID: "", TTL: "10s" } });
    expect(held.data.Items).toEqual({ leader: "me" });
    const id = held.data.Lock?.ID ?? "";
    expect((await nomad.variables.read("lock/items")).data).toMatchObject({ Items: { leader: "me" }, Lock: { ID: id, TTL: "10s" } });

    // Renew without a lock ID: Nomad's request validation, a multierror answered 500.
    const noID = await raw(t.address, "PUT", "/v1/var/lock/items?lock-renew", { Lock: {} });
    expect(noID).toMatchObject({ status: 500, text: "1 error occurred:\n\t* missing lock ID\n\n" });
    const missing = await raw(t.address, "PUT", "/v1/var/lock/nothing?lock-renew", { Lock: { ID: id } });
    expect(missing).toMatchObject({ status: 404, text: "variable doesn't exist" });
    // A release by someone else: 409 with only the namespace, path and an empty lock.
    const other = await raw(t.address, "PUT", "/v1/var/lock/items?lock-release", { Lock: { ID: "someone-else" } });
    expect(other.status).toBe(409);
    expect(JSON.parse(other.text)).toMatchObject({ Namespace: "default", Path: "lock/items", Lock: { ID: "" }, ModifyIndex: 0 });
    expect(JSON.parse(other.text)).not.toHaveProperty("Items");
    const withItems = await raw(t.address, "PUT", "/v1/var/lock/items?lock-release", { Lock: { ID: id }, Items: { a: "b" } });
    expect(withItems).toMatchObject({ status: 400, text: "lock release operation doesn't take variable items" });
    // A voluntary release frees the lock at once (no lock delay) and keeps the items.
    const released = await nomad.variables.releaseLock("lock/items", id);
    expect(released.data.Lock).toBeUndefined();
    const next = await nomad.variables.acquireLock({ Path: "lock/items", Items: { leader: "you" } });
    expect(next.data.Lock?.ID).not.toBe(id);
    await nomad.variables.releaseLock("lock/items", next.data.Lock?.ID ?? "");
  });

  test("a blocking read of a variable returns when it changes", async () => {
    const first = await nomad.variables.put({ Path: "watch/me", Items: { v: "1" } });
    const waiting = nomad.variables.read("watch/me", { index: first.meta.index, wait: 10_000 });
    await nomad.variables.put({ Path: "watch/me", Items: { v: "2" } });
    expect((await waiting).data.Items).toEqual({ v: "2" });
  });

  test("a bad request never crashes the agent", async () => {
    expect((await raw(t.address, "PUT", "/v1/var/x", "not json")).status).toBe(400);
    expect((await raw(t.address, "GET", "/v1/var/")).status).toBe(400);
    const err = await nomad.variables.read("nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NomadApiError);
  });
});

describe("Nomad Variables at rest", () => {
  test("items are encrypted in the SQLite file with a key kept in the data directory, and read back after a restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-vars-"));
    try {
      const secret = "s3cr3t-value-for-the-test";
      let t = await startTestAgent({ client: false, dataDir: dir });
      let nomad = new NomadClient({ address: t.address });
      await nomad.variables.put({ Path: "nomad/jobs/web", Items: { db_password: secret } });
      await nomad.close();
      await t.stop();

      const serverDir = path.join(dir, "server");
      const files = fs.readdirSync(serverDir).filter((f) => f.startsWith("state.db"));
      expect(files.length).toBeGreaterThan(0);
      let sawPath = false;
      for (const f of files) {
        const bytes = fs.readFileSync(path.join(serverDir, f));
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
        expect(bytes.includes(Buffer.from("db_password"))).toBe(false);
        if (bytes.includes(Buffer.from("nomad/jobs/web"))) sawPath = true;
      }
      expect(sawPath).toBe(true); // the row is there, only its items are sealed
      const keys = fs.readdirSync(path.join(serverDir, "keystore"));
      expect(keys).toHaveLength(1);
      expect(fs.statSync(path.join(serverDir, "keystore", keys[0])).mode & 0o077).toBe(0);

      t = await startTestAgent({ client: false, dataDir: dir });
      nomad = new NomadClient({ address: t.address });
      expect((await nomad.variables.read("nomad/jobs/web")).data.Items).toEqual({ db_password: secret });
      await nomad.close();
      await t.stop();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Nomad Variables locks with ACLs", () => {
  let t: TestAgent;
  const call = async (method: string, p: string, secret: string, body?: unknown) => {
    const r = await request(`${t.address}${p}`, {
      method: method as "GET",
      headers: { "X-Nomad-Token": secret },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.body.text();
    return { status: r.statusCode, body: text ? JSON.parse(text) : null };
  };
  beforeAll(async () => {
    t = await startTestAgent({ client: false, aclEnabled: true });
  });
  afterAll(() => t?.stop());

  test("a lock is shown to its holder and to management tokens only, as Nomad's Read and Apply answer", async () => {
    const management = (await call("POST", "/v1/acl/bootstrap", "")).body.SecretID as string;
    const rules = 'namespace "default" { variables { path "leader/*" { capabilities = ["read", "write", "list", "destroy"] } } }';
    expect((await call("POST", "/v1/acl/policy/writer", management, { Name: "writer", Rules: rules })).status).toBe(200);
    const writer = (await call("POST", "/v1/acl/token", management, { Name: "w", Type: "client", Policies: ["writer"] })).body
      .SecretID as string;

    const acquired = await call("PUT", "/v1/var/leader/lock?lock-acquire", writer, { Items: { who: "w" } });
    expect(acquired.status).toBe(200);
    const id = acquired.body.Lock.ID as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // A read by a client token: no lock; by a management token: the lock.
    const asClient = await call("GET", "/v1/var/leader/lock", writer);
    expect(asClient.body).toMatchObject({ Path: "leader/lock", Items: { who: "w" } });
    expect(asClient.body).not.toHaveProperty("Lock");
    expect((await call("GET", "/v1/var/leader/lock", management)).body.Lock).toMatchObject({ ID: id });
    // The same in lists.
    expect((await call("GET", "/v1/vars?prefix=leader", writer)).body).toEqual([expect.not.objectContaining({ Lock: expect.anything() })]);
    expect((await call("GET", "/v1/vars?prefix=leader", management)).body[0].Lock).toMatchObject({ ID: id });
    // The holder's write names the lock: its answer shows it.
    const update = await call("PUT", "/v1/var/leader/lock", writer, { Items: { who: "w2" }, Lock: { ID: id } });
    expect(update.status).toBe(200);
    expect(update.body.Lock).toMatchObject({ ID: id });
    const released = await call("PUT", "/v1/var/leader/lock?lock-release", writer, { Lock: { ID: id } });
    expect(released.status).toBe(200);
    expect(released.body).not.toHaveProperty("Lock");
  });
});
