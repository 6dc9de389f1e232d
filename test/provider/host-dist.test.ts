/**
 * The production path: Pulumi's host as Pulumi runs it (plain node, no
 * TypeScript loader) loading the compiled provider from `dist/`. Runs when
 * `npm run build` has produced a dist/ newer than every source it compiles
 * (CI builds before testing); skipped otherwise, with the reason, because
 * building here would race with other test files and engineers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createNomadJobProvider } from "../../provider/shell";
import { REPO_ROOT, serializeProvider, startProviderHost } from "./host";

const COMPILED = path.join(REPO_ROOT, "dist", "provider", "handlers.js");

/** The newest modification time of the .ts files under `dir`, in milliseconds. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function distState(): string | undefined {
  if (!fs.existsSync(COMPILED)) return "dist/provider/handlers.js is missing (run `npm run build`)";
  const built = fs.statSync(COMPILED).mtimeMs;
  const sources = Math.max(newestSource(path.join(REPO_ROOT, "lib")), newestSource(path.join(REPO_ROOT, "provider")));
  return sources > built ? "dist/ is older than the sources (run `npm run build`)" : undefined;
}

const why = distState();
const HELPERS = path.resolve(__dirname, "..", "helpers", "runtime.ts");

if (why || !fs.existsSync(HELPERS)) {
  it.skip(`compiled provider in a plain-node host: skipped, ${why ?? "test/helpers/runtime.ts is missing"}`, () => undefined);
} else {
  it("the compiled provider runs in a plain-node host: check, create, refresh without diff, delete", async () => {
    const agent = await (require(HELPERS) as { startTestAgent(): Promise<{ address: string; stop(): Promise<void> }> }).startTestAgent();
    // The sources' shell: its TypeScript location does not load in plain node, the dist/ one does.
    const host = await startProviderHost(await serializeProvider(createNomadJobProvider()), { typescript: false });
    try {
      const job = {
        ID: "compiled",
        Datacenters: ["*"],
        TaskGroups: [
          { Name: "g", Tasks: [{ Name: "t", Driver: "mock_driver", Config: { run_for: "1h" }, Resources: { CPU: 100, MemoryMB: 64 } }] },
        ],
      };
      const checked = await host.check({}, { job, address: agent.address, detach: true, purgeOnDestroy: true });
      expect(checked.failures).toEqual([]);
      const created = await host.create(checked.inputs);
      expect(created).toMatchObject({ id: "compiled@default", properties: { jobId: "compiled", version: 0 } });
      const refreshed = await host.read(created.id, created.properties);
      expect((await host.diff(created.id, refreshed.properties, checked.inputs)).changes).toBe("none");
      await host.delete(created.id, created.properties);
      expect((await host.read(created.id, created.properties)).id).toBe("");
    } finally {
      await host.close();
      await agent.stop();
    }
  });
}
