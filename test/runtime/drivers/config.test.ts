/** The agent config's driver plugin blocks: accepted shapes and clear errors naming the field. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile } from "../../../lib/runtime/config";

describe("plugin blocks in the agent config", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-plugin-config-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const load = (config: unknown) => {
    const file = path.join(dir, "agent.json");
    fs.writeFileSync(file, JSON.stringify(config));
    return () => loadAgentConfigFile(file);
  };

  it('accepts Nomad\'s plugin "raw_exec" { config { enabled = true } } as JSON', () => {
    const cfg = load({
      plugin: { raw_exec: { config: { enabled: true } }, docker: { config: { endpoint: "unix:///run/podman.sock" } } },
    })();
    expect(cfg.plugin?.raw_exec?.config?.enabled).toBe(true);
  });

  it("names the field of a bad plugin block", () => {
    expect(load({ plugin: { java: { config: {} } } })).toThrow(
      /plugin\.java: unknown driver \(known: raw_exec, exec, docker, mock_driver\)/,
    );
    expect(load({ plugin: { raw_exec: { config: { enabled: "yes" } } } })).toThrow(
      /plugin\.raw_exec\.config\.enabled: must be true or false/,
    );
    expect(load({ plugin: { docker: { config: { endpoint: "tcp://1.2.3.4:2375" } } } })).toThrow(
      /plugin\.docker\.config\.endpoint: must be a unix socket address/,
    );
    expect(load({ plugin: ["raw_exec"] })).toThrow(/plugin: must be an object/);
  });

  it("refuses plugin config keys the driver does not honour, and takes docker's volumes { enabled }", () => {
    expect(load({ plugin: { raw_exec: { config: { enabled: true, no_cgroups: true } } } })).toThrow(
      /plugin\.raw_exec\.config\.no_cgroups: not supported by drover's raw_exec driver \(supported: enabled\)/,
    );
    expect(load({ plugin: { mock_driver: { config: { enabled: false } } } })).toThrow(
      /plugin\.mock_driver\.config\.enabled: drover's mock_driver driver takes no config/,
    );
    expect(load({ plugin: { docker: { config: { volumes: true } } } })).toThrow(
      /plugin\.docker\.config\.volumes: must be \{ "enabled": true\|false \}/,
    );
    expect(load({ plugin: { docker: { config: { volumes: { enabled: true } } } } })().plugin?.docker?.config?.volumes).toEqual({
      enabled: true,
    });
  });
});
