import { block, JsonObject } from "./json";

/** Whether a dispatch of a parameterized job carries a payload. */
export type PayloadRequirement = "optional" | "required" | "forbidden";

/**
 * The `parameterized` block: the job is a template that runs only when
 * dispatched (`nomad job dispatch`), with a payload and metadata per dispatch.
 */
export interface ParameterizedProps {
  /** Whether a dispatch must, may or must not carry a payload. @default "optional" */
  readonly payload?: PayloadRequirement;
  /** Metadata keys every dispatch must set; tasks read them as `Interp.meta(key)`. */
  readonly metaRequired?: readonly string[];
  /** Metadata keys a dispatch may set. */
  readonly metaOptional?: readonly string[];
}

/** Renders the parameterized block as Nomad's `ParameterizedJobConfig`. */
export function renderParameterized(p: ParameterizedProps | undefined): JsonObject | undefined {
  if (p === undefined) return undefined;
  return (
    block({
      Payload: p.payload,
      MetaRequired: p.metaRequired ? [...p.metaRequired] : undefined,
      MetaOptional: p.metaOptional ? [...p.metaOptional] : undefined,
    }) ?? {}
  );
}

/** The `dispatch_payload` block of a task: where the payload of a dispatch is written. */
export interface DispatchPayloadProps {
  /** The file, relative to the task's `local/` directory, that receives the payload. */
  readonly file: string;
}

/** Renders a task's dispatch payload block as Nomad's `DispatchPayloadConfig`. */
export function renderDispatchPayload(d: DispatchPayloadProps | undefined): JsonObject | undefined {
  return d === undefined ? undefined : { File: d.file };
}
