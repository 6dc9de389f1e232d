/** The agent config's event buffer bounds (`server.event_buffer_size`, `server.event_buffer_max_bytes`) and unknown `server` keys. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile } from "../../lib/runtime/config";
import { startTestAgent } from "../helpers/runtime";

describe("the server block's event buffer settings", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-config-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (config: unknown) => {
    const file = path.join(dir, "agent.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return () => loadAgentConfigFile(file);
  };

  it("accepts Nomad's event_buffer_size and drover's event_buffer_max_bytes", () => {
    expect(load({ server: { event_buffer_size: 500, event_buffer_max_bytes: "16MB" } })().server).toEqual({
      event_buffer_size: 500,
      event_buffer_max_bytes: "16MB",
    });
  });

  it("refuses bad values and unknown keys, naming the field", () => {
    expect(load({ server: { event_buffer_size: 0 } })).toThrow(/server\.event_buffer_size: must be an integer from 1 to 1000000/);
    expect(load({ server: { event_buffer_max_bytes: "lots" } })).toThrow(/server\.event_buffer_max_bytes: must be a size like "64MB"/);
    expect(load({ server: { num_schedulers: 2 } })).toThrow(/server\.num_schedulers: unknown field \(known: min_heartbeat_ttl, /);
  });

  it("bounds the agent's event buffer", async () => {
    const t = await startTestAgent({ client: false, simNodes: 0, eventBuffer: { size: 2, maxBytes: 1 << 20 } });
    try {
      for (let i = 0; i < 4; i++) await t.agent.server.nodePools.upsert({ Name: `pool-${i}` });
      expect(t.agent.server.store.events.size).toBe(2);
    } finally {
      await t.stop();
    }
  });
});
