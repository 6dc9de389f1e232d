/** The agent config's `telemetry` block: Nomad's names for what drover honours, everything else refused with the field named. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile } from "../../../lib/runtime/config";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-telemetry-config-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(config: unknown): string {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

test("accepts prometheus_metrics and publish_node_metrics", () => {
  const telemetry = { prometheus_metrics: true, publish_node_metrics: false };
  expect(loadAgentConfigFile(write({ telemetry })).telemetry).toEqual(telemetry);
});

test("refuses settings it does not honour and values that are not booleans, naming the field", () => {
  const file = write({ telemetry: { statsd_address: "127.0.0.1:8125" } });
  expect(() => loadAgentConfigFile(file)).toThrow(
    `${file}: telemetry.statsd_address: not supported by drover's agent (supported: prometheus_metrics, publish_node_metrics)`,
  );
  const file2 = write({ telemetry: { prometheus_metrics: "yes" } });
  expect(() => loadAgentConfigFile(file2)).toThrow(`${file2}: telemetry.prometheus_metrics: must be true or false`);
});
