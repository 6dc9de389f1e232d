/** ACL and namespace types of Nomad's HTTP API (`api/acl.go`, `api/namespace.go`). */

/** An ACL policy (`api.ACLPolicy`). */
export interface ACLPolicy {
  /** Unique name. */
  Name: string;
  /** Free text. */
  Description?: string;
  /** The rules in Nomad's policy language (HCL or JSON). */
  Rules: string;
  /** Workload identity the policy is attached to, if any. */
  JobACL?: { Namespace?: string; JobID?: string; Group?: string; Task?: string } | null;
  /** Index of creation. */
  CreateIndex?: number;
  /** Index of the last change. */
  ModifyIndex?: number;
}

/** A policy in a list (`api.ACLPolicyListStub`). */
export type ACLPolicyListStub = Omit<ACLPolicy, "Rules">;

/** A link to a role. */
export interface ACLTokenRoleLink {
  /** The role's ID. */
  ID?: string;
  /** The role's name. */
  Name?: string;
}

/** An ACL token (`api.ACLToken`). */
export interface ACLToken {
  /** Public ID. */
  AccessorID: string;
  /** The secret; shown by Nomad to the token's creator (drover's runtime: only at creation and to its holder). */
  SecretID: string;
  /** Name. */
  Name: string;
  /** "client" or "management". */
  Type: "client" | "management";
  /** Policy names. */
  Policies: string[] | null;
  /** Roles. */
  Roles: ACLTokenRoleLink[] | null;
  /** Replicated to every region. */
  Global: boolean;
  /** Base64 hash of the secret. */
  Hash?: string;
  /** RFC 3339. */
  CreateTime: string;
  /** RFC 3339, or null for none. */
  ExpirationTime?: string | null;
  /** TTL in nanoseconds (or a Go duration string). */
  ExpirationTTL?: number | string;
  /** Index of creation. */
  CreateIndex: number;
  /** Index of the last change. */
  ModifyIndex: number;
}

/** A token in a list (`api.ACLTokenListStub`). */
export type ACLTokenListStub = Omit<ACLToken, "SecretID" | "ExpirationTTL">;

/** What a create or update of a token sends. */
export interface ACLTokenRequest {
  /** Set on update. */
  AccessorID?: string;
  /** Name. */
  Name?: string;
  /** "client" (default) or "management". */
  Type?: "client" | "management";
  /** Policy names. */
  Policies?: string[];
  /** Roles. */
  Roles?: ACLTokenRoleLink[];
  /** Global. */
  Global?: boolean;
  /** A Go duration ("1h"), at creation only. */
  ExpirationTTL?: string;
  /** RFC 3339, at creation only. */
  ExpirationTime?: string;
}

/** An ACL role (`api.ACLRole`). */
export interface ACLRole {
  /** UUID (empty on create). */
  ID?: string;
  /** Unique name. */
  Name: string;
  /** Free text. */
  Description?: string;
  /** Policies by name. */
  Policies: { Name: string }[];
  /** Index of creation. */
  CreateIndex?: number;
  /** Index of the last change. */
  ModifyIndex?: number;
}

/** A namespace (`api.Namespace`). */
export interface Namespace {
  /** Name. */
  Name: string;
  /** Free text. */
  Description?: string;
  /** Quota (Nomad Enterprise). */
  Quota?: string;
  /** Metadata. */
  Meta?: Record<string, string> | null;
  /** Driver and network capabilities. */
  Capabilities?: unknown;
  /** Node pool configuration. */
  NodePoolConfiguration?: unknown;
  /** Index of creation. */
  CreateIndex?: number;
  /** Index of the last change. */
  ModifyIndex?: number;
}
