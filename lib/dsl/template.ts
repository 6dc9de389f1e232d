import type { DurationInput } from "./duration";
import { block, JsonObject } from "./json";
import type { PropLocation, RenderContext } from "./render-context";

/** A script run in the task when its template changes (`changeMode: "script"`). */
export interface ChangeScriptProps {
  /** The command to run. */
  readonly command: string;
  /** Its arguments. */
  readonly args?: readonly string[];
  /** How long it may run. @default "5s" */
  readonly timeout?: DurationInput;
  /** Fail the task when the script fails. @default false */
  readonly failOnError?: boolean;
}

/**
 * The `template` block of a task: a file rendered by consul-template (from
 * Consul, Vault and Nomad variables) into the task directory, optionally
 * exported as environment variables.
 */
export interface TemplateProps {
  /** The template text (HCL `data`). Set this or `source`. */
  readonly data?: string;
  /** A template file on the client node (HCL `source`). */
  readonly source?: string;
  /** Where the rendered file goes, relative to the task directory, e.g. `"local/app.conf"` or `"secrets/env"`. */
  readonly destination: string;
  /** What the task is told when the rendered file changes. @default "restart" */
  readonly changeMode?: "restart" | "signal" | "noop" | "script";
  /** The signal sent when `changeMode` is "signal", e.g. `"SIGHUP"`. */
  readonly changeSignal?: string;
  /** The script run when `changeMode` is "script". */
  readonly changeScript?: ChangeScriptProps;
  /** Export the rendered `KEY=value` lines as environment variables of the task. @default false */
  readonly env?: boolean;
  /** File mode of the rendered file, octal as a string. @default "0644" */
  readonly perms?: string;
  /** Owner user ID of the rendered file. @default the task's user */
  readonly uid?: number;
  /** Owner group ID of the rendered file. @default the task's group */
  readonly gid?: number;
  /** The opening delimiter of template actions. @default "{{" */
  readonly leftDelimiter?: string;
  /** The closing delimiter of template actions. @default "}}" */
  readonly rightDelimiter?: string;
  /** A random wait before signalling or restarting, to spread restarts. @default "5s" */
  readonly splay?: DurationInput;
  /** Render once and stop watching for changes. @default false */
  readonly once?: boolean;
  /** Fail rendering when a map key used by the template is missing. @default false */
  readonly errMissingKey?: boolean;
  /** Quiescence timers: wait at least `min` and at most `max` after a change before rendering. */
  readonly wait?: { readonly min?: DurationInput; readonly max?: DurationInput };
}

/** Renders a template as Nomad's `Template`. */
export function renderTemplate(t: TemplateProps, ctx: RenderContext, at: PropLocation): JsonObject {
  const script = t.changeScript;
  const waitAt = { constructPath: at.constructPath, prop: `${at.prop}.wait` };
  const scriptAt = { constructPath: at.constructPath, prop: `${at.prop}.changeScript` };
  return block({
    SourcePath: t.source,
    DestPath: t.destination,
    EmbeddedTmpl: t.data,
    ChangeMode: t.changeMode,
    ChangeSignal: t.changeSignal,
    ChangeScript: script
      ? block({
          Command: script.command,
          Args: script.args ? [...script.args] : undefined,
          Timeout: ctx.duration(script.timeout, scriptAt, "timeout"),
          FailOnError: script.failOnError,
        })
      : undefined,
    Splay: ctx.duration(t.splay, at, "splay"),
    Perms: t.perms,
    Uid: t.uid,
    Gid: t.gid,
    LeftDelim: t.leftDelimiter,
    RightDelim: t.rightDelimiter,
    Envvars: t.env,
    Once: t.once,
    ErrMissingKey: t.errMissingKey,
    Wait: t.wait
      ? (block({ Min: ctx.duration(t.wait.min, waitAt, "min"), Max: ctx.duration(t.wait.max, waitAt, "max") }) ?? {})
      : undefined,
  }) as JsonObject;
}
