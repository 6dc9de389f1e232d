/**
 * Nomad's ACL policy language (`acl/policy.go`): rules written in HCL or in
 * JSON, parsed into the rules an {@link ACL} is compiled from. A rule set
 * holds `namespace "<name or glob>"` blocks (a `policy` of deny, read,
 * write or scale, and/or fine-grained `capabilities`, and `variables { path
 * "<glob>" { capabilities = [...] } }`), `node_pool "<glob>"`,
 * `host_volume "<glob>"` blocks, and `node`, `agent`, `operator`, `quota`
 * and `plugin` blocks with a `policy`. A policy that names an unknown key,
 * policy or capability is refused, as Nomad refuses it.
 */
import { evaluate, parseHcl, type Body } from "../../hcl";

/** Namespace capabilities Nomad knows (`NamespaceCapability*`). */
const NAMESPACE_CAPABILITIES: readonly string[] = [
  "deny",
  "list-jobs",
  "parse-job",
  "read-job",
  "submit-job",
  "dispatch-job",
  "read-logs",
  "read-fs",
  "alloc-exec",
  "alloc-node-exec",
  "alloc-lifecycle",
  "sentinel-override",
  "csi-register-plugin",
  "csi-write-volume",
  "csi-read-volume",
  "csi-list-volume",
  "csi-mount-volume",
  "host-volume-create",
  "host-volume-register",
  "host-volume-read",
  "host-volume-write",
  "host-volume-delete",
  "list-scaling-policies",
  "read-scaling-policy",
  "read-job-scaling",
  "scale-job",
  "submit-recommendation",
];

const READ_CAPABILITIES = [
  "list-jobs",
  "parse-job",
  "read-job",
  "csi-list-volume",
  "csi-read-volume",
  "read-job-scaling",
  "list-scaling-policies",
  "read-scaling-policy",
  "host-volume-read",
];
const WRITE_CAPABILITIES = [
  ...READ_CAPABILITIES,
  "scale-job",
  "submit-job",
  "dispatch-job",
  "read-logs",
  "read-fs",
  "alloc-exec",
  "alloc-lifecycle",
  "csi-mount-volume",
  "csi-write-volume",
  "submit-recommendation",
  "host-volume-create",
];
const SCALE_CAPABILITIES = [
  "list-scaling-policies",
  "read-scaling-policy",
  "read-job-scaling",
  "scale-job",
  "read-job",
  "submit-recommendation",
];

/** The capabilities a namespace `policy` stands for (`expandNamespacePolicy`). */
function expandNamespacePolicy(policy: string): string[] {
  switch (policy) {
    case "deny":
      return ["deny"];
    case "read":
      return [...READ_CAPABILITIES];
    case "write":
      return [...WRITE_CAPABILITIES];
    case "scale":
      return [...SCALE_CAPABILITIES];
    default:
      return [];
  }
}

/** Variable path capabilities. */
const VARIABLE_CAPABILITIES: readonly string[] = ["list", "read", "write", "destroy", "deny"];
const NODE_POOL_CAPABILITIES = ["delete", "deny", "read", "write"];
const HOST_VOLUME_CAPABILITIES = ["deny", "mount-readonly", "mount-readwrite"];

/** The rules of one `namespace` block. */
export interface NamespaceRule {
  /** Name or glob (`*` matches any run of characters). */
  name: string;
  /** The coarse policy, "" when only capabilities are given. */
  policy: string;
  /** Every capability granted (the policy's expanded, plus the listed ones). */
  capabilities: string[];
  /** `variables { path "<glob>" { capabilities } }`. */
  variables: { path: string; capabilities: string[] }[];
}

/** A named rule with a capability list (`node_pool`, `host_volume`). */
export interface CapabilityRule {
  /** Name or glob. */
  name: string;
  /** Capabilities, the policy's expanded. */
  capabilities: string[];
}

/** A parsed policy. */
export interface PolicyRules {
  /** `namespace` blocks. */
  namespaces: NamespaceRule[];
  /** `node_pool` blocks. */
  nodePools: CapabilityRule[];
  /** `host_volume` blocks. */
  hostVolumes: CapabilityRule[];
  /** `node { policy }`, "" when absent. */
  node: string;
  /** `agent { policy }`, "" when absent. */
  agent: string;
  /** `operator { policy }`, "" when absent. */
  operator: string;
  /** `quota { policy }`, "" when absent. */
  quota: string;
  /** `plugin { policy }` (deny, read, list), "" when absent. */
  plugin: string;
}

/** A policy that cannot be parsed or names what Nomad does not know; the message is Nomad's. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

type Obj = Record<string, unknown>;

/** The HCL body as the plain object HCL's JSON form of the same policy gives. */
function hclToObject(body: Body): Obj {
  const out: Obj = {};
  for (const a of body.attributes) {
    out[a.name] = evaluate(a.expr, { variables: {}, functions: {} });
  }
  for (const b of body.blocks) {
    const inner = hclToObject(b.body);
    let target = out;
    const path = [b.type, ...b.labels];
    for (let i = 0; i < path.length - 1; i++) {
      const next = (target[path[i]] ??= {}) as Obj;
      target = next;
    }
    const last = path[path.length - 1];
    if (b.labels.length > 0 && target[last] !== undefined)
      throw new PolicyError(`Failed to parse ACL Policy: duplicate ${b.type} block ${JSON.stringify(b.labels.join(" "))}`);
    target[last] = inner;
  }
  return out;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** HCL's JSON form allows a block to be an object or a list of objects. */
function blocks(v: unknown, where: string): Obj {
  if (v === undefined) return {};
  if (Array.isArray(v)) return Object.assign({}, ...v.map((x) => blocks(x, where))) as Obj;
  if (!isObj(v)) throw new PolicyError(`Failed to parse ACL Policy: ${where} must be a block`);
  return v;
}

function stringField(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new PolicyError(`Failed to parse ACL Policy: ${where}.${key} must be a string`);
  return v;
}

function stringList(o: Obj, key: string, where: string): string[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
    throw new PolicyError(`Failed to parse ACL Policy: ${where}.${key} must be a list of strings`);
  return v as string[];
}

function checkKeys(o: Obj, known: readonly string[], where: string): void {
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length > 0)
    throw new PolicyError(`Invalid or duplicate policy keys: ${extra.map((k) => (where ? `${where}.${k}` : k)).join(", ")}`);
}

const VALID_NAMESPACE = /^[a-zA-Z0-9\-*]{1,128}$/;
const VALID_NODE_POOL = /^[a-zA-Z0-9\-_*]{1,128}$/;
const COARSE = ["deny", "read", "write", "scale"];

/** Parses the rules of a policy (HCL, or JSON when the text starts with `{`). Throws {@link PolicyError}. */
export function parsePolicy(rules: string): PolicyRules {
  if (rules.trim() === "") throw new PolicyError("Invalid policy: empty rules");
  let raw: Obj;
  if (rules.trim().startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rules);
    } catch (err) {
      throw new PolicyError(`Failed to parse ACL Policy: ${(err as Error).message}`);
    }
    if (!isObj(parsed)) throw new PolicyError("Failed to parse ACL Policy: the rules must be an object");
    raw = parsed;
  } else {
    const { body, diagnostics } = parseHcl(rules, "policy.hcl");
    if (diagnostics.length > 0)
      throw new PolicyError(
        `Failed to parse ACL Policy: ${diagnostics[0].summary}${diagnostics[0].detail ? `; ${diagnostics[0].detail}` : ""} (line ${diagnostics[0].range.start.line})`,
      );
    try {
      raw = hclToObject(body);
    } catch (err) {
      if (err instanceof PolicyError) throw err;
      throw new PolicyError(`Failed to parse ACL Policy: ${(err as Error).message}`);
    }
  }
  checkKeys(raw, ["namespace", "node_pool", "host_volume", "node", "agent", "operator", "quota", "plugin"], "");
  const out: PolicyRules = { namespaces: [], nodePools: [], hostVolumes: [], node: "", agent: "", operator: "", quota: "", plugin: "" };

  for (const [name, v] of Object.entries(blocks(raw.namespace, "namespace"))) {
    const where = `namespace "${name}"`;
    if (!VALID_NAMESPACE.test(name)) throw new PolicyError(`Invalid namespace name: ${JSON.stringify(name)}`);
    if (!isObj(v)) throw new PolicyError(`Failed to parse ACL Policy: ${where} must be a block`);
    checkKeys(v, ["policy", "capabilities", "variables"], where);
    const policy = stringField(v, "policy", where);
    if (policy !== "" && !COARSE.includes(policy))
      throw new PolicyError(`Invalid namespace policy: ${where} policy ${JSON.stringify(policy)}`);
    const caps = stringList(v, "capabilities", where);
    for (const c of caps) if (!NAMESPACE_CAPABILITIES.includes(c)) throw new PolicyError(`Invalid namespace capability '${c}': ${where}`);
    const variables: NamespaceRule["variables"] = [];
    if (v.variables !== undefined) {
      const vb = blocks(v.variables, `${where}.variables`);
      checkKeys(vb, ["path"], `${where}.variables`);
      const paths = blocks(vb.path, `${where}.variables.path`);
      if (Object.keys(paths).length === 0) throw new PolicyError(`Invalid variable policy: no variable paths in namespace ${name}`);
      for (const [path, pv] of Object.entries(paths)) {
        if (path === "") throw new PolicyError(`Invalid missing variable path in namespace ${name}`);
        if (path.startsWith("/"))
          throw new PolicyError(`Invalid variable path "${path}" in namespace ${name}: cannot start with a leading '/'`);
        if (!isObj(pv)) throw new PolicyError(`Failed to parse ACL Policy: ${where} variables path "${path}" must be a block`);
        checkKeys(pv, ["capabilities"], `${where}.variables.path "${path}"`);
        const pcaps = stringList(pv, "capabilities", `${where}.variables.path "${path}"`);
        for (const c of pcaps)
          if (!VARIABLE_CAPABILITIES.includes(c)) throw new PolicyError(`Invalid variable capability '${c}' in namespace ${name}`);
        variables.push({ path, capabilities: pcaps });
      }
    }
    out.namespaces.push({ name, policy, capabilities: [...new Set([...expandNamespacePolicy(policy), ...caps])], variables });
  }

  for (const [name, v] of Object.entries(blocks(raw.node_pool, "node_pool"))) {
    if (!VALID_NODE_POOL.test(name)) throw new PolicyError(`Invalid node pool name '${name}'`);
    if (!isObj(v)) throw new PolicyError(`Failed to parse ACL Policy: node_pool "${name}" must be a block`);
    checkKeys(v, ["policy", "capabilities"], `node_pool "${name}"`);
    const policy = stringField(v, "policy", `node_pool "${name}"`);
    if (policy !== "" && !COARSE.includes(policy)) throw new PolicyError(`Invalid node pool policy '${policy}' for '${name}'`);
    const caps = stringList(v, "capabilities", `node_pool "${name}"`);
    for (const c of caps)
      if (!NODE_POOL_CAPABILITIES.includes(c)) throw new PolicyError(`Invalid node pool capability '${c}' for '${name}'`);
    const expanded = policy === "deny" ? ["deny"] : policy === "read" ? ["read"] : policy === "write" ? ["delete", "read", "write"] : [];
    out.nodePools.push({ name, capabilities: [...new Set([...expanded, ...caps])] });
  }

  for (const [name, v] of Object.entries(blocks(raw.host_volume, "host_volume"))) {
    if (!VALID_NAMESPACE.test(name)) throw new PolicyError(`Invalid host volume name: ${JSON.stringify(name)}`);
    if (!isObj(v)) throw new PolicyError(`Failed to parse ACL Policy: host_volume "${name}" must be a block`);
    checkKeys(v, ["policy", "capabilities"], `host_volume "${name}"`);
    const policy = stringField(v, "policy", `host_volume "${name}"`);
    if (policy !== "" && !COARSE.includes(policy))
      throw new PolicyError(`Invalid host volume policy: host_volume "${name}" policy ${JSON.stringify(policy)}`);
    const caps = stringList(v, "capabilities", `host_volume "${name}"`);
    for (const c of caps)
      if (!HOST_VOLUME_CAPABILITIES.includes(c)) throw new PolicyError(`Invalid host volume capability '${c}': host_volume "${name}"`);
    const expanded =
      policy === "deny"
        ? ["deny"]
        : policy === "read"
          ? ["mount-readonly"]
          : policy === "write"
            ? ["mount-readonly", "mount-readwrite"]
            : [];
    out.hostVolumes.push({ name, capabilities: [...new Set([...expanded, ...caps])] });
  }

  for (const key of ["node", "agent", "operator", "quota", "plugin"] as const) {
    if (raw[key] === undefined) continue;
    const b = raw[key];
    if (!isObj(b)) throw new PolicyError(`Failed to parse ACL Policy: ${key} must be a block`);
    checkKeys(b, ["policy"], key);
    const policy = stringField(b, "policy", key);
    const valid = key === "plugin" ? ["deny", "read", "list"] : ["deny", "read", "write"];
    if (!valid.includes(policy)) throw new PolicyError(`Invalid ${key} policy: ${JSON.stringify(policy)}`);
    out[key] = policy;
  }
  return out;
}
