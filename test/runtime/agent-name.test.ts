/** The agent's name (Nomad's `name` in the config, `-node` on the command line): it names the local node. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { loadAgentConfigFile } from "../../lib/runtime/config";
import { testIO } from "../plan/cli-io";
import { api, startTestAgent } from "../helpers/runtime";

describe("the agent's name", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-agent-name-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (config: unknown) => {
    const file = path.join(dir, "agent.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return () => loadAgentConfigFile(file);
  };

  it("is read from the config's `name`, and a bad one is refused naming the field", () => {
    expect(load({ name: "edge-1" })().name).toBe("edge-1");
    expect(load({ name: "" })).toThrow(/agent\.json: name: must be a node name/);
    expect(load({ name: "two words" })).toThrow(/name: must be a node name/);
    expect(load({ name: 7 })).toThrow(/name: must be a node name/);
  });

  it("names the local node and the agent", async () => {
    const t = await startTestAgent({ name: "edge-1", simNodes: 0 });
    try {
      const nodes = (await api(t.address, "GET", "/v1/nodes")).body;
      expect(nodes.map((n: any) => n.Name)).toEqual(["edge-1"]);
      const self = (await api(t.address, "GET", "/v1/agent/self")).body;
      expect(self.config.NodeName).toBe("edge-1");
      expect(self.member.Name).toBe("edge-1.global");
    } finally {
      await t.stop();
    }
  });

  it("`drover agent --node` refuses a name with a space as a usage error (exit 2)", async () => {
    const io = testIO(dir, {});
    expect(await main(["agent", "--dev", "--port", "0", "--node", "a b"], io)).toBe(2);
    expect(io.stderr()).toContain('--node must be a node name (1 to 128 characters, no spaces), got "a b"');
  });
});
