/**
 * Workload identities (`api/tasks.go` WorkloadIdentity): the JWTs Nomad
 * signs for a task or a service.
 */
import { z } from "zod";
import { IDENTITY_CHANGE_MODES } from "../constants";
import { block, bool, durationNs, oneOf, str, strList } from "./primitives";

/** A workload identity. */
export const WorkloadIdentitySchema = block({
  /** Identity name; "default" (or "") is the task's default identity. */
  Name: str().describe('Identity name; "default" (or "") is the task\'s default identity.'),
  /** JWT audiences (HCL aud); the default identity gets ["nomadproject.io"]. */
  Audience: strList().describe('JWT audiences (HCL aud); the default identity gets ["nomadproject.io"].'),
  /** What to do when the token is renewed: "noop" (default), "signal" or "restart". */
  ChangeMode: oneOf(["", ...IDENTITY_CHANGE_MODES]).describe(
    'What to do when the token is renewed: "noop" (default), "signal" or "restart".',
  ),
  /** Signal sent when ChangeMode is "signal". */
  ChangeSignal: str().describe('Signal sent when ChangeMode is "signal".'),
  /** Expose the token as NOMAD_TOKEN_<name> in the environment. */
  Env: bool().describe("Expose the token as NOMAD_TOKEN_<name> in the environment."),
  /** Write the token to the secrets directory. */
  File: bool().describe("Write the token to the secrets directory."),
  /** Where to write the token (inside the task). */
  Filepath: str().describe("Where to write the token (inside the task)."),
  /** Server-set for service identities. */
  ServiceName: str().describe("Server-set for service identities."),
  /** Token lifetime in nanoseconds; 0 means it does not expire. */
  TTL: durationNs().describe("Token lifetime in nanoseconds; 0 means it does not expire."),
  /** Extra claims (Enterprise). */
  ExtraClaims: strList().describe("Extra claims (Enterprise)."),
}).describe("WorkloadIdentity: a signed identity for a task or service (api.WorkloadIdentity).");
/** A WorkloadIdentity block. */
export type WorkloadIdentity = z.infer<typeof WorkloadIdentitySchema>;
