/**
 * drover's own API client (lib/api) against an agent serving two regions:
 * it registers a multiregion job once (it sends the job's Region, "global",
 * as the region parameter, which Nomad's agent reads as its own region),
 * lists the regions, and reads each region's copy and deployment.
 */
import { NomadClient } from "../../../lib/api";
import { mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

let t: TestAgent;
let client: NomadClient;

beforeAll(async () => {
  t = await startTestAgent({
    region: "us-east",
    datacenter: "dc-east",
    client: false,
    simNodes: 2,
    regions: [{ name: "eu-west", datacenters: ["dc-west"], simNodes: 2 }],
  });
  client = new NomadClient({ address: t.address, retry: { maxAttempts: 1 } });
});

afterAll(async () => {
  await t?.stop();
});

test("register once, read every region", async () => {
  // Region "global", as a canonicalized job has it: the client sends it as ?region=global.
  const job = { ...mockJob("via-client", { count: 0 }), Region: "global" } as Record<string, unknown>;
  job.Multiregion = {
    Strategy: { MaxParallel: 1, OnFailure: "fail_all" },
    Regions: [
      { Name: "us-east", Count: 1, Datacenters: ["dc-east"] },
      { Name: "eu-west", Count: 2, Datacenters: ["dc-west"] },
    ],
  };
  await client.jobs.register(job as never);
  expect((await client.status.regions()).data).toEqual(["eu-west", "us-east"]);
  for (const [region, count] of [
    ["us-east", 1],
    ["eu-west", 2],
  ] as const) {
    const copy = (await client.jobs.info("via-client", { region })).data;
    expect(copy.Region).toBe(region);
    expect((copy as unknown as { TaskGroups: { Count: number }[] }).TaskGroups[0].Count).toBe(count);
    await waitFor(`a successful deployment in ${region}`, async () =>
      (await client.jobs.deployments("via-client", { region })).data.some((d) => d.Status === "successful"),
    );
  }
});
