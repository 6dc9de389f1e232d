import type { DurationInput } from "./duration";
import { block, JsonObject } from "./json";
import type { PropLocation, RenderContext } from "./render-context";

/**
 * A workload identity: a JWT Nomad signs for the task, to authenticate to
 * Nomad's API, Vault or Consul.
 */
export interface IdentityProps {
  /** The identity's name; omit for the task's default identity. */
  readonly name?: string;
  /** The audiences of the token (`aud` claim). @default ["nomad.io"] for the default identity */
  readonly audience?: readonly string[];
  /** Expose the token to the task as the `NOMAD_TOKEN` (or `NOMAD_TOKEN_<name>`) environment variable. @default false */
  readonly env?: boolean;
  /** Write the token to `secrets/nomad_token` (or `secrets/nomad_<name>.jwt`). @default false */
  readonly file?: boolean;
  /** A custom path for the token file. */
  readonly filepath?: string;
  /** How long the token lives before it is renewed. @default unset: no expiry for the default identity */
  readonly ttl?: DurationInput;
  /** What the task is told when the token is renewed. @default unset */
  readonly changeMode?: "restart" | "signal" | "noop";
  /** The signal sent when `changeMode` is "signal", e.g. `"SIGHUP"`. */
  readonly changeSignal?: string;
}

/** Renders an identity as Nomad's `WorkloadIdentity`. */
export function renderIdentity(i: IdentityProps | undefined, ctx: RenderContext, at: PropLocation): JsonObject | undefined {
  if (i === undefined) return undefined;
  return (
    block({
      Name: i.name,
      Audience: i.audience ? [...i.audience] : undefined,
      ChangeMode: i.changeMode,
      ChangeSignal: i.changeSignal,
      Env: i.env,
      File: i.file,
      Filepath: i.filepath,
      TTL: ctx.duration(i.ttl, at, "ttl"),
    }) ?? {}
  );
}
