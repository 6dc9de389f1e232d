import { block, JsonObject } from "./json";

/** The `vault` block of a task: a Vault token for the task, through workload identity. */
export interface VaultProps {
  /** The Vault role the token is created with. @default the role in the agent's Vault configuration */
  readonly role?: string;
  /** The Vault namespace (Vault Enterprise). */
  readonly namespace?: string;
  /** The name of the Vault cluster in the Nomad agent's configuration. @default "default" */
  readonly cluster?: string;
  /** Expose the token as the `VAULT_TOKEN` environment variable. @default true */
  readonly env?: boolean;
  /** Do not write the token to `secrets/vault_token`. @default false */
  readonly disableFile?: boolean;
  /** What the task is told when the token changes. @default "restart" */
  readonly changeMode?: "restart" | "signal" | "noop";
  /** The signal sent when `changeMode` is "signal". */
  readonly changeSignal?: string;
  /** Let the token expire instead of failing the task when it cannot be renewed. @default false */
  readonly allowTokenExpiration?: boolean;
}

/** Renders the vault block as Nomad's `Vault`. */
export function renderVault(v: VaultProps | undefined): JsonObject | undefined {
  if (v === undefined) return undefined;
  return (
    block({
      Role: v.role,
      Namespace: v.namespace,
      Cluster: v.cluster,
      Env: v.env,
      DisableFile: v.disableFile,
      ChangeMode: v.changeMode,
      ChangeSignal: v.changeSignal,
      AllowTokenExpiration: v.allowTokenExpiration,
    }) ?? {}
  );
}
