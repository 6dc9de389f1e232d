/**
 * Pulumi's own dynamic-provider host as a child process, and a small typed
 * gRPC client of it: what the Pulumi engine does with a `NomadJob`, without
 * the Pulumi CLI.
 *
 * The host runs the serialized provider as plain JavaScript, and that code
 * `require`s provider/handlers from the locations it captured. From a
 * checkout without a build those are TypeScript sources, so the host is
 * started with tsx's CommonJS hook (`--require tsx/cjs`, tsx is a dependency
 * of drover): the host's own code is unchanged, and it loads the current
 * sources, never a stale or half-built `dist/` that another test file may be
 * writing at the same time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** The repository root (the host's working directory, as a Pulumi project's folder would be). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

const PULUMI_DIR = path.dirname(require.resolve("@pulumi/pulumi"));
// The copies @pulumi/pulumi resolves itself: a second google-protobuf breaks Struct.
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [PULUMI_DIR] })) as typeof import("@grpc/grpc-js");
const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [PULUMI_DIR] }));
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");

type Props = Record<string, unknown>;

/** Struct.fromJavaScript refuses undefined: drop it the way JSON does. */
function toStruct(v: Props): unknown {
  return structPb.Struct.fromJavaScript(JSON.parse(JSON.stringify(v)));
}

function fromStruct(s: { toJavaScript(): Props } | undefined): Props {
  return s ? s.toJavaScript() : {};
}

/** A failure of create or update that the host reported as "created but not initialized". */
export interface InitFailure {
  /** The resource ID. */
  id: string;
  /** The outputs kept in state. */
  properties: Props;
  /** Why. */
  reasons: string[];
}

/** An error from the host: the gRPC code and message, and the partial-failure detail when there is one. */
export class HostError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly initFailure?: InitFailure,
  ) {
    super(message);
  }
}

/** The Diff answer in Pulumi's terms. */
export interface HostDiff {
  /** "some", "none" or "unknown". */
  changes: "some" | "none" | "unknown";
  /** Properties that force replacement. */
  replaces: string[];
  /** Delete the old resource before creating the new one. */
  deleteBeforeReplace: boolean;
}

/** A running host and its client. */
export interface ProviderHost {
  /** The serialized provider every request carries as `__provider`. */
  provider: string;
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(id: string, olds: Props, news: Props): Promise<HostDiff>;
  create(props: Props): Promise<{ id: string; properties: Props }>;
  read(id: string, props: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs: Props }>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  delete(id: string, props: Props): Promise<void>;
  /** Everything the host wrote to stderr. */
  stderr(): string;
  /** Sends a signal to the host process (as the engine does when it stops it). */
  kill(signal: NodeJS.Signals): void;
  /** Closes the client and stops the host. */
  close(): Promise<void>;
}

/** The URN a resource named `name` would have. */
export function urnOf(name: string): string {
  return `urn:pulumi:test::drover::pulumi-nodejs:dynamic/drover:NomadJob::${name}`;
}

/** Serializes a provider object the way `dynamic.Resource` does. */
export async function serializeProvider(provider: object): Promise<string> {
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

/** Options of `startProviderHost`. */
export interface ProviderHostOptions {
  /** Register tsx's CommonJS hook in the host so that it loads TypeScript sources. Default true; false runs the host as Pulumi does (plain node, compiled code only). */
  typescript?: boolean;
  /** Longest wait for the host's port, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** The engine address the host is started with (as the Pulumi engine does), e.g. an `EngineStandIn`'s. Default "127.0.0.1:1" (nothing listens). */
  engineAddress?: string;
}

/** One `Log` call the engine stand-in received. */
export interface LoggedLine {
  /** 1 info, 2 warning, 3 error, 0 debug. */
  severity: number;
  message: string;
  urn: string;
  ephemeral: boolean;
}

/** A small stand-in for the Pulumi engine's gRPC service: it records the `Log` calls it receives. */
export interface EngineStandIn {
  /** "127.0.0.1:PORT". */
  address: string;
  /** The calls received so far, in order. */
  logs: LoggedLine[];
  close(): Promise<void>;
}

/** Starts an engine stand-in on 127.0.0.1 and a free port. */
export async function startEngineStandIn(): Promise<EngineStandIn> {
  const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
  const emptyPb = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [PULUMI_DIR] }));
  const logs: LoggedLine[] = [];
  const server = new grpc.Server();
  server.addService(engineGrpc.EngineService, {
    log(
      call: { request: { getSeverity(): number; getMessage(): string; getUrn(): string; getEphemeral(): boolean } },
      cb: (err: null, resp: unknown) => void,
    ) {
      const r = call.request;
      logs.push({ severity: r.getSeverity(), message: r.getMessage(), urn: r.getUrn(), ephemeral: r.getEphemeral() });
      cb(null, new emptyPb.Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    logs,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** Starts the host (bounded wait for its port) and connects to it. */
export async function startProviderHost(provider: string, options: ProviderHostOptions = {}): Promise<ProviderHost> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const script = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
  const loader = options.typescript === false ? [] : ["--require", require.resolve("tsx/cjs")];
  const child: ChildProcess = spawn(process.execPath, [...loader, script, options.engineAddress ?? "127.0.0.1:1"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the dynamic-provider host printed no port within ${timeoutMs} ms; stderr:\n${err}`));
    }, timeoutMs);
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the dynamic-provider host exited (${code}) before printing its port; stderr:\n${err}`));
    });
  });
  const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  const call = <T>(method: string, req: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      client[method](req, (e: (Error & { code: number; details?: string; metadata?: { get(k: string): unknown[] } }) | null, resp: T) => {
        if (!e) return resolve(resp);
        let initFailure: InitFailure | undefined;
        const bin = e.metadata?.get("grpc-status-details-bin")?.[0];
        if (bin instanceof Uint8Array) {
          const status = statusPb.Status.deserializeBinary(bin);
          for (const any of status.getDetailsList()) {
            const detail = any.unpack(providerPb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
            if (detail)
              initFailure = { id: detail.getId(), properties: fromStruct(detail.getProperties()), reasons: detail.getReasonsList() };
          }
        }
        reject(new HostError(e.details ?? e.message, e.code, initFailure));
      });
    });
  const withProvider = (p: Props): Props => ({ ...p, __provider: provider });
  const strip = (p: Props): Props => {
    const { __provider: _, ...rest } = p;
    void _;
    return rest;
  };

  const configure = new providerPb.ConfigureRequest();
  configure.setArgs(toStruct({}));
  await call("configure", configure);

  return {
    provider,
    async check(olds, news) {
      const req = new providerPb.CheckRequest();
      req.setUrn(urnOf("job"));
      req.setOlds(toStruct(withProvider(olds)));
      req.setNews(toStruct(withProvider(news)));
      const resp = await call<{
        getInputs(): { toJavaScript(): Props };
        getFailuresList(): { getProperty(): string; getReason(): string }[];
      }>("check", req);
      return {
        inputs: strip(fromStruct(resp.getInputs())),
        failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, olds, news) {
      const req = new providerPb.DiffRequest();
      req.setId(id);
      req.setUrn(urnOf("job"));
      req.setOlds(toStruct(withProvider(olds)));
      req.setNews(toStruct(withProvider(news)));
      const resp = await call<{ getChanges(): number; getReplacesList(): string[]; getDeletebeforereplace(): boolean }>("diff", req);
      const changes = (["unknown", "none", "some"] as const)[resp.getChanges()];
      return { changes, replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
    },
    async create(props) {
      const req = new providerPb.CreateRequest();
      req.setUrn(urnOf("job"));
      req.setProperties(toStruct(withProvider(props)));
      const resp = await call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>("create", req);
      return { id: resp.getId(), properties: strip(fromStruct(resp.getProperties())) };
    },
    async read(id, props, inputs) {
      const req = new providerPb.ReadRequest();
      req.setId(id);
      req.setUrn(urnOf("job"));
      req.setProperties(toStruct(withProvider(props)));
      req.setInputs(toStruct(withProvider(inputs ?? props)));
      const resp = await call<{
        getId(): string;
        getProperties(): { toJavaScript(): Props } | undefined;
        getInputs(): { toJavaScript(): Props } | undefined;
      }>("read", req);
      return { id: resp.getId(), properties: strip(fromStruct(resp.getProperties())), inputs: strip(fromStruct(resp.getInputs())) };
    },
    async update(id, olds, news) {
      const req = new providerPb.UpdateRequest();
      req.setId(id);
      req.setUrn(urnOf("job"));
      req.setOlds(toStruct(withProvider(olds)));
      req.setNews(toStruct(withProvider(news)));
      const resp = await call<{ getProperties(): { toJavaScript(): Props } }>("update", req);
      return strip(fromStruct(resp.getProperties()));
    },
    async delete(id, props) {
      const req = new providerPb.DeleteRequest();
      req.setId(id);
      req.setUrn(urnOf("job"));
      req.setProperties(toStruct(withProvider(props)));
      await call("delete", req);
    },
    stderr: () => err,
    kill: (signal) => void child.kill(signal),
    async close() {
      client.close();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5_000)))]);
        clearTimeout(timer);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  };
}
