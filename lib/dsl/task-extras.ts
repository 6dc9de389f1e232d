import type { DurationInput } from "./duration";
import { block, jsonCopy, JsonObject, stringMap } from "./json";
import type { PropLocation, RenderContext } from "./render-context";

/** An `action` of a task: a command operators run in it with `nomad action`. */
export interface ActionProps {
  /** The action's name, unique in the task. */
  readonly name: string;
  /** The command to run inside the task. */
  readonly command: string;
  /** Its arguments. */
  readonly args?: readonly string[];
}

/** A `secret` of a task: a value fetched from a secrets provider and exposed to the task. */
export interface SecretProps {
  /** The secret's name, unique in the task. */
  readonly name: string;
  /** The provider, e.g. `"nomad"` or `"vault"`. */
  readonly provider: string;
  /** The path of the secret at the provider. */
  readonly path: string;
  /** Provider-specific options, in the provider's own keys. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Environment variables set from the secret, name to template. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The `csi_plugin` block: the task is a CSI plugin. */
export interface CsiPluginProps {
  /** The plugin ID volumes refer to. */
  readonly id: string;
  /** Which parts of the CSI protocol the plugin serves. */
  readonly type: "node" | "controller" | "monolith";
  /** Where the plugin expects its socket, inside the task. @default "/csi" */
  readonly mountDir?: string;
  /** The base directory for staging and publishing volumes. @default "/local/csi" */
  readonly stagePublishBaseDir?: string;
  /** How long the plugin may take to become healthy. @default "30s" */
  readonly healthTimeout?: DurationInput;
}

/** Renders an action as Nomad's `Action`. */
export function renderAction(a: ActionProps): JsonObject {
  return block({ Name: a.name, Command: a.command, Args: a.args ? [...a.args] : undefined }) as JsonObject;
}

/** Renders a secret as Nomad's `Secret`. */
export function renderSecret(s: SecretProps): JsonObject {
  return block({ Name: s.name, Provider: s.provider, Path: s.path, Config: jsonCopy(s.config), Env: stringMap(s.env) }) as JsonObject;
}

/** Renders the CSI plugin block as Nomad's `TaskCSIPluginConfig`. */
export function renderCsiPlugin(c: CsiPluginProps | undefined, ctx: RenderContext, at: PropLocation): JsonObject | undefined {
  if (c === undefined) return undefined;
  return block({
    ID: c.id,
    Type: c.type,
    MountDir: c.mountDir,
    StagePublishBaseDir: c.stagePublishBaseDir,
    HealthTimeout: ctx.duration(c.healthTimeout, at, "healthTimeout"),
  }) as JsonObject;
}
