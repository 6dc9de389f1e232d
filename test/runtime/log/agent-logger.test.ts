/** The agent's logger: levels for the sink and for each subscription, hclog's formats, and the config keys that set it. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAgentConfigFile } from "../../../lib/runtime/config";
import { AgentLogger, formatLogLine, formatLogLineJSON, parseLogLevel } from "../../../lib/runtime/log/agent-logger";

test("the sink gets its level and above; a subscription gets its own level and above", () => {
  const sink: string[] = [];
  const logger = new AgentLogger(
    (m) => sink.push(m),
    "WARN",
    () => 0,
  );
  const seen: string[] = [];
  const stop = logger.subscribe("DEBUG", (l) => seen.push(`${l.level} ${l.message}`));
  logger.log("TRACE", "t");
  logger.log("DEBUG", "d");
  logger.info("i");
  logger.log("ERROR", "e");
  expect(sink).toEqual(["e"]);
  expect(seen).toEqual(["DEBUG d", "INFO i", "ERROR e"]);
  stop();
  expect(logger.enabled("DEBUG")).toBe(false);
  expect(logger.enabled("ERROR")).toBe(true);
});

test("lines are formatted as hclog writes them", () => {
  const line = { timeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678), level: "INFO" as const, message: "agent: started" };
  expect(formatLogLine(line)).toBe("2026-01-02T03:04:05.678Z [INFO]  agent: started");
  expect(formatLogLine({ ...line, level: "DEBUG" })).toBe("2026-01-02T03:04:05.678Z [DEBUG] agent: started");
  expect(JSON.parse(formatLogLineJSON(line))).toEqual({
    "@level": "info",
    "@message": "agent: started",
    "@timestamp": "2026-01-02T03:04:05.678Z",
  });
  expect(parseLogLevel("warning")).toBe("WARN");
  expect(parseLogLevel("loud")).toBeUndefined();
});

test("the agent config's log_level and enable_debug are checked", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-log-config-"));
  try {
    const write = (c: unknown) => {
      const f = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
      fs.writeFileSync(f, JSON.stringify(c));
      return f;
    };
    expect(loadAgentConfigFile(write({ log_level: "debug", enable_debug: true }))).toMatchObject({
      log_level: "debug",
      enable_debug: true,
    });
    const bad = write({ log_level: "loud" });
    expect(() => loadAgentConfigFile(bad)).toThrow(`${bad}: log_level: must be one of TRACE, DEBUG, INFO, WARN, ERROR`);
    const bad2 = write({ enable_debug: "yes" });
    expect(() => loadAgentConfigFile(bad2)).toThrow(`${bad2}: enable_debug: must be a boolean`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
