import { block, JsonObject, stringMap } from "./json";

/** The `artifact` block of a task: a file or archive downloaded (with go-getter) before the task starts. */
export interface ArtifactProps {
  /** Where to download from: a URL, `git::`, `s3::`, … as go-getter reads it. */
  readonly source: string;
  /** Where to put it, relative to the task directory. @default "local/" */
  readonly destination?: string;
  /** Whether the source is a file, a directory, or either. @default "any" */
  readonly mode?: "any" | "file" | "dir";
  /** go-getter options, e.g. `{ checksum: "sha256:…" }`. */
  readonly options?: Readonly<Record<string, string>>;
  /** HTTP headers for the download. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Allow TLS without verification and plain HTTP for the download. @default false */
  readonly insecure?: boolean;
  /** Give the downloaded files to the task's user. @default false */
  readonly chown?: boolean;
}

/** Renders an artifact as Nomad's `TaskArtifact`. */
export function renderArtifact(a: ArtifactProps): JsonObject {
  return block({
    GetterSource: a.source,
    GetterOptions: stringMap(a.options),
    GetterHeaders: stringMap(a.headers),
    GetterMode: a.mode,
    GetterInsecure: a.insecure,
    RelativeDest: a.destination,
    Chown: a.chown,
  }) as JsonObject;
}
