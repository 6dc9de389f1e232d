/**
 * Progress in `pulumi up`: the provider sends what it waits for (evaluation,
 * deployment: placed, healthy, canaries; allocations stopping) to the Pulumi
 * engine's log for the resource, as `Log` calls on the engine's gRPC
 * service, so that the resource's row says what happens instead of a silent
 * spinner.
 *
 * Pulumi's dynamic-provider host is started by the engine with the engine's
 * address as its one argument but does not connect `pulumi.log` to it, so the
 * provider connects itself: to that address, with the gRPC client and
 * messages of the @pulumi/pulumi the host runs. Outside the host (tests
 * calling the handlers, a missing engine) nothing is sent. Logging never
 * fails an operation.
 */
import * as path from "node:path";
import type { ApplyProgressEvent } from "../lib/plan";
import { formatProgressEvent } from "../lib/cli/render/progress";

/** Pulumi's LogSeverity values (proto/engine.proto). */
const INFO = 1;
const WARNING = 2;

/** Sends progress lines for one resource to the engine. */
export interface EngineLog {
  /** Logs a progress event (ephemeral: it shows in the resource's row while the operation runs). */
  progress(e: ApplyProgressEvent): void;
  /** Logs a line that stays in the update's diagnostics. */
  info(message: string): void;
  /** Logs a warning. */
  warn(message: string): void;
  /** Waits (at most a second) for the lines sent so far and closes the connection. */
  close(): Promise<void>;
}

const NONE: EngineLog = { progress() {}, info() {}, warn() {}, close: async () => {} };

/**
 * The engine's address, when this process is Pulumi's dynamic-provider host
 * (its script is `cmd/dynamic-provider/index.js` and its argument an address).
 */
function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const addr = argv[2];
  if (
    !script.split(path.sep).join("/").endsWith("cmd/dynamic-provider/index.js") &&
    !script.split(path.sep).join("/").endsWith("cmd/dynamic-provider")
  )
    return undefined;
  return addr && /^[^\s:]+:\d+$/.test(addr) ? addr : undefined;
}

/** The engine's gRPC client and messages, from the @pulumi/pulumi the host runs (a second copy of protobuf breaks messages). */
function engineModules():
  | { EngineClient: new (addr: string, creds: unknown) => EngineClient; LogRequest: new () => LogRequest; insecure: () => unknown }
  | undefined {
  try {
    const host = require.main?.filename ?? "";
    const pulumiDir = host ? path.resolve(path.dirname(host), "..", "..") : path.dirname(require.resolve("@pulumi/pulumi"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as { credentials: { createInsecure(): unknown } };
    const rpc = require(path.join(pulumiDir, "proto", "engine_grpc_pb")) as {
      EngineClient: new (addr: string, creds: unknown) => EngineClient;
    };
    const pb = require(path.join(pulumiDir, "proto", "engine_pb")) as { LogRequest: new () => LogRequest };
    return { EngineClient: rpc.EngineClient, LogRequest: pb.LogRequest, insecure: () => grpc.credentials.createInsecure() };
  } catch {
    return undefined;
  }
}

interface LogRequest {
  setSeverity(s: number): void;
  setMessage(m: string): void;
  setUrn(u: string): void;
  setEphemeral(e: boolean): void;
}

interface EngineClient {
  log(req: LogRequest, cb: (err: Error | null) => void): void;
  close(): void;
}

/**
 * A log for the resource `urn` ("" logs for the whole update), connected to
 * the engine when this process is the dynamic-provider host; a no-op otherwise.
 */
export function engineLog(urn: string | undefined, address: string | undefined = engineAddress()): EngineLog {
  if (!address) return NONE;
  const mods = engineModules();
  if (!mods) return NONE;
  let client: EngineClient;
  try {
    client = new mods.EngineClient(address, mods.insecure());
  } catch {
    return NONE;
  }
  let last: Promise<void> = Promise.resolve();
  let lastProgress = "";
  const send = (severity: number, message: string, ephemeral: boolean) => {
    const req = new mods.LogRequest();
    req.setSeverity(severity);
    req.setMessage(message);
    req.setUrn(urn ?? "");
    req.setEphemeral(ephemeral);
    // One at a time, in order, as the SDK's own log does.
    last = last.then(() => new Promise<void>((resolve) => client.log(req, () => resolve())));
  };
  return {
    progress(e) {
      const line = formatProgressEvent(e).trim();
      if (!line || line === lastProgress) return;
      lastProgress = line;
      send(INFO, line.replace(/^==> /, ""), e.type !== "done");
    },
    info: (m) => send(INFO, m, false),
    warn: (m) => send(WARNING, m, false),
    async close() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([last, new Promise((r) => (timer = setTimeout(r, 1000)))]);
      clearTimeout(timer);
      client.close();
    },
  };
}
