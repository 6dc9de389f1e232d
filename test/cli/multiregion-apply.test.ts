/**
 * `drover apply` of a multiregion job against the included runtime serving
 * two regions: it follows the deployment of every region the job is
 * registered in and reports each.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { api, mockJob, startTestAgent, type TestAgent } from "../helpers/runtime";
import { testIO } from "../plan/cli-io";

describe("drover apply of a multiregion job", () => {
  let t: TestAgent;
  let dir: string;
  beforeAll(async () => {
    t = await startTestAgent({
      region: "east",
      datacenter: "east-1",
      client: false,
      simNodes: 2,
      regions: [{ name: "west", datacenters: ["west-1"], simNodes: 2 }],
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-mr-"));
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("follows and reports the deployment of every region, and reports each", async () => {
    const job = mockJob("global-web", { count: 0 }) as Record<string, any>;
    job.TaskGroups[0].Update = {
      MaxParallel: 2,
      HealthCheck: "task_states",
      MinHealthyTime: 20_000_000,
      HealthyDeadline: 60e9,
      ProgressDeadline: 120e9,
    };
    job.Multiregion = {
      Strategy: { MaxParallel: 1 },
      Regions: [
        { Name: "east", Count: 1, Datacenters: ["east-1"] },
        { Name: "west", Count: 2, Datacenters: ["west-1"] },
      ],
    };
    job.Datacenters = ["east-1"];
    fs.writeFileSync(path.join(dir, "global-web.json"), JSON.stringify({ Job: job }));
    const io = testIO(dir, { NOMAD_ADDR: t.address });
    const code = await main(["apply", "--yes", "global-web.json"], io);
    expect(io.stderr()).toBe("");
    expect(code).toBe(0);
    const out = io.stdout();
    const east = (await api(t.address, "GET", "/v1/job/global-web/deployment?region=east")).body;
    const west = (await api(t.address, "GET", "/v1/job/global-web/deployment?region=west")).body;
    expect([east.Status, west.Status]).toEqual(["successful", "successful"]);
    expect(out).toContain(`Deployment ${east.ID.slice(0, 8)} in east: successful (web: 1/1 healthy, 1 placed)`);
    expect(out).toContain(`Deployment ${west.ID.slice(0, 8)} in west: successful (web: 2/2 healthy, 2 placed)`);
    expect(out).toContain(
      `==> Job "global-web" in every region: east successful (deployment ${east.ID.slice(0, 8)}), west successful (deployment ${west.ID.slice(0, 8)})`,
    );
  });
});
