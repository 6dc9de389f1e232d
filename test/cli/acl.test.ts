/**
 * `drover acl …`, `drover namespace …` and `drover apply` against the
 * included runtime with ACLs enabled: bootstrap, a namespace, a policy from
 * an HCL file, a namespace-scoped token that applies in its namespace and is
 * refused with a clear message in another, roles; the token is printed only
 * where Nomad prints it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { testIO } from "../plan/cli-io";
import { mockJob, startTestAgent, type TestAgent } from "../helpers/runtime";

describe("drover acl and drover namespace (ACLs enabled)", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    t = await startTestAgent({ aclEnabled: true, client: false, simNodes: 1 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-acl-cli-"));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t.stop();
  });

  async function run(token: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = testIO(dir, { NOMAD_ADDR: t.address, ...(token ? { NOMAD_TOKEN: token } : {}) });
    const code = await main(argv, io);
    return { code, out: io.stdout(), err: io.stderr() };
  }
  const secretOf = (out: string): string => /^Secret ID\s+= (\S+)$/m.exec(out)![1];

  it("bootstraps, creates a namespace, a policy and a scoped token that applies only in its namespace", async () => {
    const boot = await run("", "acl", "bootstrap");
    expect(boot.code).toBe(0);
    expect(boot.out).toMatch(/^Name\s+= Bootstrap Token$/m);
    const management = secretOf(boot.out);
    expect((await run("", "acl", "bootstrap")).err).toMatch(/ACL bootstrap already done \(reset index: \d+\)/);

    expect(await run(management, "namespace", "apply", "-description", "Team A", "team-a")).toMatchObject({
      code: 0,
      out: 'Successfully applied namespace "team-a"!\n',
    });
    expect((await run(management, "namespace", "list")).out).toMatch(
      /^Name\s+Description\ndefault\s+Default shared namespace\nteam-a\s+Team A\n$/,
    );
    expect((await run(management, "namespace", "status", "team-a")).out).toMatch(/^Name\s+= team-a\nDescription = Team A\n/);

    fs.writeFileSync(path.join(dir, "team-a.hcl"), 'namespace "team-a" {\n  policy = "write"\n}\n');
    expect(await run(management, "acl", "policy", "apply", "-description", "deploys team-a", "team-a", "team-a.hcl")).toMatchObject({
      code: 0,
      out: 'Successfully wrote "team-a" ACL policy!\n',
    });
    expect((await run(management, "acl", "policy", "list")).out).toMatch(/^Name\s+Description\nteam-a\s+deploys team-a\n$/);
    expect((await run(management, "acl", "policy", "info", "team-a")).out).toContain('namespace "team-a"');

    const created = await run(management, "acl", "token", "create", "-name", "deployer", "-policy", "team-a");
    expect(created.code).toBe(0);
    const deployer = secretOf(created.out);
    expect(created.out).toMatch(/^Policies\s+= \[team-a\]$/m);
    const self = await run(deployer, "acl", "token", "self");
    expect(self.out).toMatch(/^Name\s+= deployer$/m);
    expect(self.out).not.toContain(deployer);
    expect((await run(management, "acl", "token", "list")).out).toMatch(/deployer\s+client\s+false\s+\S+\s+false/);
    expect((await run(deployer, "acl", "token", "list")).err).toContain("Permission denied");

    fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify({ Job: { ...mockJob("web"), Namespace: "team-a" } }));
    fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify({ Job: { ...mockJob("web"), Namespace: "default" } }));
    const ok = await run(deployer, "apply", "--yes", "--detach", "a.json");
    expect(ok).toMatchObject({ code: 0 });
    const refused = await run(deployer, "apply", "--yes", "--detach", "b.json");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("Permission denied");
    expect(refused.err + refused.out).not.toContain(deployer);

    const role = await run(management, "acl", "role", "create", "-name", "deployers", "-policy", "team-a");
    expect(role.out).toMatch(/^Name\s+= deployers$/m);
    expect((await run(management, "acl", "role", "list")).out).toMatch(/deployers\s+<none>\s+team-a/);
    const viaRole = secretOf((await run(management, "acl", "token", "create", "-name", "via-role", "-role-name", "deployers")).out);
    expect((await run(viaRole, "namespace", "list")).out).toMatch(/^Name\s+Description\nteam-a\s+Team A\n$/);

    const accessor = /^Accessor ID\s+= (\S+)$/m.exec(created.out)![1];
    expect((await run(management, "acl", "token", "delete", accessor)).out).toBe(`Token ${accessor} successfully deleted\n`);
    expect((await run(deployer, "acl", "token", "self")).err).toContain("ACL token not found");
    expect((await run(management, "namespace", "delete", "team-a")).err).toContain('namespace "team-a" has non-terminal jobs');
  });
});
