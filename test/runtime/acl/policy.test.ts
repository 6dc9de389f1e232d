/** Nomad's policy language (HCL and JSON) and the compiled ACL: a case per rule, as Nomad's acl/policy_test.go and acl_test.go. */
import { ACL } from "../../../lib/runtime/acl/acl";
import { parsePolicy, PolicyError } from "../../../lib/runtime/acl/policy";

const acl = (...rules: string[]) => new ACL(false, rules.map(parsePolicy));

describe("parsePolicy", () => {
  it("reads HCL and the same policy in JSON alike", () => {
    const hcl = parsePolicy(`
      namespace "default" { policy = "read" }
      namespace "team-*" {
        policy       = "write"
        capabilities = ["alloc-node-exec"]
        variables {
          path "app/*" { capabilities = ["read", "list"] }
        }
      }
      node { policy = "read" }
      agent { policy = "write" }
      operator { policy = "deny" }
      quota { policy = "read" }
      plugin { policy = "list" }
      node_pool "prod-*" { policy = "read" }
      host_volume "data" { policy = "write" }
    `);
    const json = parsePolicy(
      JSON.stringify({
        namespace: {
          default: { policy: "read" },
          "team-*": {
            policy: "write",
            capabilities: ["alloc-node-exec"],
            variables: { path: { "app/*": { capabilities: ["read", "list"] } } },
          },
        },
        node: { policy: "read" },
        agent: { policy: "write" },
        operator: { policy: "deny" },
        quota: { policy: "read" },
        plugin: { policy: "list" },
        node_pool: { "prod-*": { policy: "read" } },
        host_volume: { data: { policy: "write" } },
      }),
    );
    expect(json).toEqual(hcl);
    expect(hcl.namespaces.find((n) => n.name === "team-*")!.capabilities).toEqual(
      expect.arrayContaining(["submit-job", "read-logs", "alloc-node-exec"]),
    );
  });

  it.each([
    ["", /Invalid policy/],
    ['namespace "default" { policy = "root" }', /Invalid namespace policy/],
    ['namespace "default" { capabilities = ["fly"] }', /Invalid namespace capability 'fly'/],
    ['namespace "a b" { policy = "read" }', /Invalid namespace name/],
    ['namespace "default" { variables { path "/abs" { capabilities = ["read"] } } }', /cannot start with a leading '\/'/],
    ['namespace "default" { variables { path "x" { capabilities = ["own"] } } }', /Invalid variable capability 'own'/],
    ['node { policy = "scale" }', /Invalid node policy/],
    ['plugin { policy = "write" }', /Invalid plugin policy/],
    ['nodes { policy = "read" }', /Invalid or duplicate policy keys: nodes/],
    ['namespace "default" { polcy = "read" }', /Invalid or duplicate policy keys/],
    ["namespace {", /Failed to parse ACL Policy/],
    ['{"namespace": ', /Failed to parse ACL Policy/],
  ])("refuses %j", (rules, message) => {
    expect(() => parsePolicy(rules)).toThrow(PolicyError);
    expect(() => parsePolicy(rules)).toThrow(message);
  });
});

describe("ACL", () => {
  it("picks the exact namespace, else the closest glob", () => {
    const a = acl(
      'namespace "*" { policy = "read" }',
      'namespace "prod-*" { policy = "deny" }',
      'namespace "prod-api" { policy = "write" }',
    );
    expect(a.allowNamespaceOperation("dev", "read-job")).toBe(true);
    expect(a.allowNamespaceOperation("dev", "submit-job")).toBe(false);
    expect(a.allowNamespaceOperation("prod-web", "read-job")).toBe(false);
    expect(a.allowNamespaceOperation("prod-api", "submit-job")).toBe(true);
    expect(a.allowNamespace("prod-web")).toBe(false);
  });

  it("merges policies, and deny wins within a namespace and for coarse policies", () => {
    const a = acl(
      'namespace "default" { policy = "write" }\nnode { policy = "write" }',
      'namespace "default" { capabilities = ["deny"] }\nnode { policy = "deny" }\nagent { policy = "read" }',
      'agent { policy = "write" }',
    );
    expect(a.allowNamespaceOperation("default", "read-job")).toBe(false);
    expect(a.allow("node", "read")).toBe(false);
    expect(a.allow("agent", "write")).toBe(true);
    expect(a.allow("operator", "read")).toBe(false);
  });

  it("grants the scale policy's capabilities only", () => {
    const a = acl('namespace "default" { policy = "scale" }');
    expect(a.allowNamespaceOperation("default", "scale-job")).toBe(true);
    expect(a.allowNamespaceOperation("default", "read-job")).toBe(true);
    expect(a.allowNamespaceOperation("default", "submit-job")).toBe(false);
    expect(a.allowNamespaceOperation("default", "list-jobs")).toBe(false);
  });

  it("answers variable paths, node pools and host volumes", () => {
    const a = acl(
      'namespace "default" { variables { path "app/*" { capabilities = ["read"] } \n path "app/secret" { capabilities = ["deny"] } } }\nnode_pool "gpu" { policy = "read" }\nhost_volume "data-*" { policy = "read" }',
    );
    expect(a.allowVariableOperation("default", "app/config", "read")).toBe(true);
    expect(a.allowVariableOperation("default", "app/config", "write")).toBe(false);
    expect(a.allowVariableOperation("default", "app/secret", "read")).toBe(false);
    expect(a.allowVariableOperation("other", "app/config", "read")).toBe(false);
    expect(a.allowNamespace("default")).toBe(true);
    expect(a.allowNodePoolOperation("gpu", "read")).toBe(true);
    expect(a.allowNodePoolOperation("gpu", "write")).toBe(false);
    expect(a.allowHostVolumeOperation("data-1", "mount-readonly")).toBe(true);
    expect(a.allowHostVolumeOperation("data-1", "mount-readwrite")).toBe(false);
  });

  it("allows everything for management and nothing for no policy", () => {
    expect(ACL.MANAGEMENT.allowNamespaceOperation("any", "submit-job")).toBe(true);
    expect(ACL.MANAGEMENT.allow("operator", "write")).toBe(true);
    expect(ACL.DENY_ALL.allowNamespaceOperation("default", "read-job")).toBe(false);
    expect(ACL.DENY_ALL.allowAnyNamespaceOperation("list-jobs")).toBe(false);
  });
});
