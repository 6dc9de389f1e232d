/** `drover search` end to end against the included runtime. */
import { api, mockJob, startTestAgent, waitFor, type TestAgent } from "../helpers/runtime";
import { drover, tempDir } from "./job-helpers";

describe("drover search (against the included runtime)", () => {
  let t: TestAgent;
  const files = tempDir();
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1, client: false });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("cart-web", { count: 1 }) });
    await api(t.address, "PUT", "/v1/jobs", { Job: mockJob("cart-db", { count: 1 }) });
    await waitFor("two allocations", async () => ((await api(t.address, "GET", "/v1/allocations")).body.length === 2 ? true : null));
  });
  afterAll(async () => {
    files.cleanup();
    await t.stop();
  });
  const run = (...argv: string[]) => drover(t.address, files.dir, argv);

  it("lists the jobs whose ID starts with the prefix", async () => {
    const r = await run("search", "cart", "-context", "jobs");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe("jobs\n  cart-db\n  cart-web\n");
  });

  it("-fuzzy finds names that contain the text, with their scope; -json prints the API's answer", async () => {
    const r = await run("search", "-fuzzy", "web", "-context", "jobs");
    expect(r.code).toBe(0);
    expect(r.out).toContain("jobs\n  cart-web  (default/cart-web)\n");
    const j = await run("search", "-fuzzy", "cart-db", "-context", "allocs", "-json");
    expect(JSON.parse(j.out).Matches.allocs[0].ID).toBe("cart-db.web[0]");
  });

  it("exits 1 when nothing matches, 1 with the agent's message for a bad context, 2 on usage errors", async () => {
    const none = await run("search", "nothing-like-this");
    expect(none.code).toBe(1);
    expect(none.err).toContain('No matches for "nothing-like-this"');
    const bad = await run("search", "x", "-context", "quotas");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^drover search: .*context must be one of/);
    expect((await run("search")).code).toBe(2);
    expect((await run("search", "--help")).out).toContain("Usage: drover search [options] PREFIX");
  });
});
