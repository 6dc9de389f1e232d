/**
 * ACL objects as Nomad's server stores them (`structs.ACLPolicy`,
 * `structs.ACLToken`, `structs.ACLRole`, `structs.Namespace`). A token's
 * secret is never stored: only its SHA-256 hash (`SecretHash`), so that a
 * copy of the state (or its SQLite file) grants nothing.
 */

/** A named ACL policy (`structs.ACLPolicy`). */
export interface ACLPolicy {
  /** Unique name. */
  Name: string;
  /** Free text. */
  Description: string;
  /** The policy in Nomad's policy language (HCL or JSON). */
  Rules: string;
  /** Optional workload identity the policy is attached to (stored and returned; drover issues no workload identities). */
  JobACL: { Namespace?: string; JobID?: string; Group?: string; Task?: string } | null;
  /** Index of creation. */
  CreateIndex: number;
  /** Index of the last change. */
  ModifyIndex: number;
}

/** A link from a token or role to a policy or role, by name or ID. */
export interface ACLLink {
  /** The role's ID (roles only). */
  ID?: string;
  /** The name. */
  Name: string;
}

/** An ACL token as stored: the secret only as its hash. */
export interface StoredACLToken {
  /** Public ID. */
  AccessorID: string;
  /** SHA-256 of the secret, hex. */
  SecretHash: string;
  /** Name. */
  Name: string;
  /** `client` or `management`. */
  Type: "client" | "management";
  /** Policy names (client tokens). */
  Policies: string[];
  /** Roles (client tokens). */
  Roles: ACLLink[];
  /** Replicated to every region in Nomad (here: recorded). */
  Global: boolean;
  /** RFC 3339 creation time. */
  CreateTime: string;
  /** RFC 3339 expiry, or null for none. */
  ExpirationTime: string | null;
  /** The TTL it was created with, in nanoseconds (0 for none). */
  ExpirationTTL: number;
  /** Index of creation. */
  CreateIndex: number;
  /** Index of the last change. */
  ModifyIndex: number;
}

/** A token as the API shows it (`structs.ACLToken`); `SecretID` only when the caller knows it. */
export interface ACLTokenView {
  /** Public ID. */
  AccessorID: string;
  /** The secret, or "" (it is stored only as a hash). */
  SecretID: string;
  /** Name. */
  Name: string;
  /** `client` or `management`. */
  Type: string;
  /** Policy names. */
  Policies: string[];
  /** Roles by ID and name. */
  Roles: { ID: string; Name: string }[];
  /** Replicated to every region in Nomad. */
  Global: boolean;
  /** Base64 of the secret's hash. */
  Hash: string;
  /** RFC 3339 creation time. */
  CreateTime: string;
  /** RFC 3339 expiry, or null. */
  ExpirationTime: string | null;
  /** The TTL it was created with, nanoseconds. */
  ExpirationTTL: number;
  /** Index of creation. */
  CreateIndex: number;
  /** Index of the last change. */
  ModifyIndex: number;
}

/** The API view of a stored token (`ACLToken.Sanitize` when `secret` is ""). */
export function aclTokenView(t: StoredACLToken, secret = ""): ACLTokenView {
  return {
    AccessorID: t.AccessorID,
    SecretID: secret,
    Name: t.Name,
    Type: t.Type,
    Policies: [...t.Policies],
    Roles: t.Roles.map((r) => ({ ID: r.ID ?? "", Name: r.Name })),
    Global: t.Global,
    Hash: Buffer.from(t.SecretHash, "hex").toString("base64"),
    CreateTime: t.CreateTime,
    ExpirationTime: t.ExpirationTime,
    ExpirationTTL: t.ExpirationTTL,
    CreateIndex: t.CreateIndex,
    ModifyIndex: t.ModifyIndex,
  };
}

/** An ACL role (`structs.ACLRole`): a named set of policies. */
export interface ACLRole {
  /** UUID. */
  ID: string;
  /** Unique name. */
  Name: string;
  /** Free text. */
  Description: string;
  /** Policies by name. */
  Policies: { Name: string }[];
  /** Index of creation. */
  CreateIndex: number;
  /** Index of the last change. */
  ModifyIndex: number;
}

/** A namespace (`structs.Namespace`). */
export interface Namespace {
  /** Name (`^[a-zA-Z0-9-]{1,128}$`). */
  Name: string;
  /** Free text. */
  Description: string;
  /** Quota name (stored; quotas are Nomad Enterprise). */
  Quota: string;
  /** Free-form metadata. */
  Meta: Record<string, string> | null;
  /** Driver and network capabilities (stored and returned). */
  Capabilities: unknown;
  /** Node pool configuration (stored and returned). */
  NodePoolConfiguration: unknown;
  /** Index of creation. */
  CreateIndex: number;
  /** Index of the last change. */
  ModifyIndex: number;
}

/** Nomad's rule for namespace names (`validNamespaceName` in nomad/structs/structs.go). */
export const VALID_NAMESPACE_NAME = /^[a-zA-Z0-9-]{1,128}$/;

/** The description Nomad gives the default namespace. */
export const DEFAULT_NAMESPACE_DESCRIPTION = "Default shared namespace";

/** The default namespace as it exists before anything is written. */
export function defaultNamespace(): Namespace {
  return {
    Name: "default",
    Description: DEFAULT_NAMESPACE_DESCRIPTION,
    Quota: "",
    Meta: null,
    Capabilities: null,
    NodePoolConfiguration: null,
    CreateIndex: 1,
    ModifyIndex: 1,
  };
}

/** The record of the ACL bootstrap: the index it happened at (Nomad's `acl_token_bootstrap` index, the "reset index"). */
export interface ACLBootstrap {
  /** Always "bootstrap". */
  ID: string;
  /** Index of the bootstrap. */
  Index: number;
}
