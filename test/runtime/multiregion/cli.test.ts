/** `drover agent --config FILE` with `regions`: the child process serves every region of its config file. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { api, spawnAgentProcess, stopAgentProcess, type AgentProcess } from "../../helpers/runtime";

let dir: string;
let agent: AgentProcess | undefined;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-regions-cli-"));
});

afterAll(async () => {
  await stopAgentProcess(agent);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the agent serves the regions of its config file", async () => {
  const config = path.join(dir, "agent.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      region: "us-east",
      datacenter: "dc-east",
      ports: { http: 0 },
      client: { enabled: false },
      sim_nodes: [{ count: 1, datacenter: "dc-east" }],
      regions: [{ name: "eu-west", datacenters: ["dc-west"], sim_nodes: 2 }],
    }),
  );
  agent = await spawnAgentProcess(["--config", config]);
  expect((await api(agent.address, "GET", "/v1/regions")).body).toEqual(["eu-west", "us-east"]);
  const west = await api(agent.address, "GET", "/v1/nodes?region=eu-west");
  expect(west.body.map((n: { Datacenter: string }) => n.Datacenter)).toEqual(["dc-west", "dc-west"]);
  agent.child.kill("SIGTERM");
  expect((await agent.exited).code).toBe(0);
});

test("a config file whose regions are wrong is refused with the field named (exit code 2)", async () => {
  const config = path.join(dir, "bad.json");
  fs.writeFileSync(config, JSON.stringify({ region: "us-east", regions: [{ name: "us-east" }] }));
  await expect(spawnAgentProcess(["--config", config], 20_000)).rejects.toThrow(
    /exited \(2\)[\s\S]*regions\[0\]\.name: "us-east" is the agent's own region/,
  );
});
