/** The agent config's client.host_volume and client.artifact blocks: accepted shapes and clear errors naming the field. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile, parseByteSize } from "../../../lib/runtime/config";

describe("client.host_volume and client.artifact in the agent config", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-client-config-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (config: unknown) => {
    const file = path.join(dir, "agent.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return () => loadAgentConfigFile(file);
  };

  it("accepts them as Nomad's JSON config writes them", () => {
    const cfg = load({
      client: {
        host_volume: { data: { path: "/srv/data", read_only: true } },
        artifact: { http_read_timeout: "5m", http_max_size: "512MB" },
      },
    })();
    expect(cfg.client?.host_volume).toEqual({ data: { path: "/srv/data", read_only: true } });
    expect(cfg.client?.artifact).toEqual({ http_read_timeout: "5m", http_max_size: "512MB" });
  });

  it("names the field of a bad block", () => {
    expect(load({ client: { host_volume: { data: { path: 1 } } } })).toThrow(/client\.host_volume\.data\.path: must be a string/);
    expect(load({ client: { host_volume: { data: { path: "/x", mode: "rw" } } } })).toThrow(
      /client\.host_volume\.data\.mode: unknown field/,
    );
    expect(load({ client: { artifact: { http_max_size: "lots" } } })).toThrow(/client\.artifact\.http_max_size: must be a size/);
    expect(load({ client: { artifact: { gcs_timeout: "1m" } } })).toThrow(/client\.artifact\.gcs_timeout: not supported by drover/);
  });

  it("reads sizes as Nomad does", () => {
    expect(parseByteSize("100GB")).toBe(100e9);
    expect(parseByteSize("10KiB")).toBe(10240);
    expect(parseByteSize("1024")).toBe(1024);
    expect(parseByteSize("x")).toBeNull();
  });
});
