/** The agent config file's `regions`: accepted shapes and errors that name the field. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile, regionOptions } from "../../../lib/runtime/config";
import { regionSimPools } from "../../../lib/runtime/multiregion/region-runtime";

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-regions-config-"));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function load(config: unknown) {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return { file, load: () => loadAgentConfigFile(file) };
}

test("regions with a node count or node pools become agent options", () => {
  const { load: read } = load({
    region: "north",
    regions: [
      { name: "east", datacenters: ["east-1", "east-2"], sim_nodes: 3 },
      { name: "west", sim_nodes: [{ count: 2, cpu: 2000 }] },
    ],
  });
  const opts = regionOptions(read().regions);
  expect(opts).toEqual([
    { name: "east", datacenters: ["east-1", "east-2"], simNodes: 3, simPools: undefined },
    { name: "west", datacenters: undefined, simNodes: undefined, simPools: [{ count: 2, cpu: 2000 }] },
  ]);
  // A count is spread over the datacenters in turn; a pool without a datacenter gets the region's first.
  expect(regionSimPools(opts![0]).map((p) => [p.datacenter, p.count])).toEqual([
    ["east-1", 2],
    ["east-2", 1],
  ]);
  expect(regionSimPools(opts![1]).map((p) => [p.datacenter, p.count, p.cpu])).toEqual([["dc1", 2, 2000]]);
});

test.each([
  [{ regions: {} }, "regions: must be a list of regions"],
  [{ regions: [{ datacenters: ["a"] }] }, "regions[0].name: must be a region name"],
  [{ regions: [{ name: "a/b" }] }, "regions[0].name: must be a region name"],
  [{ region: "east", regions: [{ name: "east" }] }, `regions[0].name: "east" is the agent's own region`],
  [{ regions: [{ name: "global" }] }, `regions[0].name: "global" is the agent's own region`],
  [{ regions: [{ name: "a" }, { name: "a" }] }, 'regions[1].name: region "a" is listed twice'],
  [{ regions: [{ name: "a", datacenters: [] }] }, "regions[0].datacenters: must be a non-empty list of datacenter names"],
  [{ regions: [{ name: "a", sim_nodes: -1 }] }, "regions[0].sim_nodes: must be a non-negative integer or a list of node pools"],
  [{ regions: [{ name: "a", sim_nodes: [{ count: "2" }] }] }, "regions[0].sim_nodes[0].count: must be a non-negative integer"],
  [{ regions: [{ name: "a", count: 2 }] }, "regions[0].count: unknown field"],
])("%j is refused: %s", (config, message) => {
  const { file, load: read } = load(config);
  expect(read).toThrow(`${file}: ${message}`);
});
