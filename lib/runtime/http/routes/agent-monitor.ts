/**
 * `GET /v1/agent/monitor` (Nomad's `AgentMonitor`): the agent's log lines
 * from now on, at `log_level` (default INFO) or above, as text
 * (`plain=true`) or as Nomad's stream frames (`{"Data":<base64>,
 * "FileEvent":"log"}`, gathered for up to 200 ms or 1 KiB, and `{}` every
 * second while idle); `log_json=true` writes each line as hclog's JSON.
 */
import { badRequest } from "../../server/errors";
import { agentTarget } from "../agent-target";
import type { RequestContext } from "../context";
import { formatLogLine, formatLogLineJSON, parseLogLevel, type LogLine } from "../../log/agent-logger";
import { READ, type Route } from "../router";
import { coarse } from "../route-acl";

/** Data gathered into one frame for at most this long, ms (Nomad's framer batch window). */
export const MONITOR_FRAME_WINDOW_MS = 200;
/** A frame is sent once it holds this many bytes (Nomad's monitor frame size). */
export const MONITOR_FRAME_BYTES = 1024;
/** An idle framed stream sends `{}` this often, ms (Nomad's framer heartbeat). */
export const MONITOR_HEARTBEAT_MS = 1000;
/** Lines are dropped (and the drop reported) while this many bytes wait unsent to a slow reader. */
export const MONITOR_MAX_PENDING_BYTES = 1024 * 1024;

/** A boolean parameter as Go's `strconv.ParseBool` reads it; a bad value is a 400 with Nomad's `what`. */
function parseBoolParam(ctx: RequestContext, name: string, what: string): boolean {
  const v = ctx.query.get(name);
  if (v === null || v === "") return false;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  throw badRequest(`Unknown option for ${what}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** The monitor route. */
export const agentMonitorRoutes: Route[] = [
  {
    methods: READ,
    pattern: "/v1/agent/monitor",
    acl: coarse("agent", "read"),
    handler: (ctx) => {
      const levelText = ctx.query.get("log_level") || "INFO";
      const level = parseLogLevel(levelText);
      if (!level) throw badRequest(`Unknown log level: ${levelText}`);
      const json = parseBoolParam(ctx, "log_json", "log json");
      const plain = parseBoolParam(ctx, "plain", "plain");
      // Accepted as Nomad does; drover's lines carry no source location to include.
      parseBoolParam(ctx, "log_include_location", "log_include_location");
      agentTarget(ctx, "Cannot target node and server simultaneously");
      const logger = ctx.logger;
      const render = (l: LogLine) => `${json ? formatLogLineJSON(l) : formatLogLine(l)}\n`;
      return {
        body: null,
        stream: async (res, req) => {
          res.writeHead(200, { "Content-Type": plain ? "text/plain" : "application/json", "Cache-Control": "no-cache" });
          res.flushHeaders?.();
          await new Promise<void>((resolve) => {
            let pending: string[] = [];
            let pendingBytes = 0;
            let dropped = 0;
            let flushTimer: NodeJS.Timeout | null = null;
            let done = false;
            const write = (text: string) => {
              if (!res.destroyed && !res.writableEnded) res.write(text);
            };
            const flush = () => {
              if (flushTimer) clearTimeout(flushTimer);
              flushTimer = null;
              if (pending.length === 0) return;
              const data = Buffer.from(pending.join(""), "utf8");
              pending = [];
              pendingBytes = 0;
              write(JSON.stringify({ Data: data.toString("base64"), FileEvent: "log" }));
            };
            const onLine = (l: LogLine) => {
              if (done) return;
              if (res.writableLength > MONITOR_MAX_PENDING_BYTES) {
                dropped++;
                return;
              }
              let text = render(l);
              if (dropped > 0) {
                text =
                  render({ timeMs: l.timeMs, level: "WARN", message: `Monitor dropped ${dropped} logs during monitor request` }) + text;
                dropped = 0;
              }
              if (plain) return write(text);
              pending.push(text);
              pendingBytes += Buffer.byteLength(text);
              if (pendingBytes >= MONITOR_FRAME_BYTES) flush();
              else if (!flushTimer) flushTimer = setTimeout(flush, MONITOR_FRAME_WINDOW_MS);
            };
            const unsubscribe = logger.subscribe(level, onLine);
            const heartbeat = plain
              ? null
              : setInterval(() => {
                  if (pending.length === 0) write("{}");
                }, MONITOR_HEARTBEAT_MS);
            heartbeat?.unref?.();
            const finish = () => {
              if (done) return;
              done = true;
              unsubscribe();
              if (heartbeat) clearInterval(heartbeat);
              if (flushTimer) clearTimeout(flushTimer);
              req.off("close", finish);
              res.off("close", finish);
              if (!res.destroyed && !res.writableEnded) res.end();
              resolve();
            };
            req.on("close", finish);
            res.on("close", finish);
          });
        },
      };
    },
  },
];
