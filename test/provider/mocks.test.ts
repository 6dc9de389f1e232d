/**
 * NomadApp and NomadJob in a Pulumi program run with Pulumi's mocks: the
 * resources the engine would see, their inputs, the serialized provider
 * (size bound), and that provider, loaded from the mock's inputs as the
 * host would load it, checking and creating a job against the runtime.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { App, Driver, Job } from "../../lib/dsl";
import { NomadClient } from "../../lib/api";
import { NomadApp, NomadJob, NOMAD_APP_TYPE, NOMAD_JOB_TYPE } from "../../provider";

type Obj = Record<string, any>;

/** What the mocked engine was asked to create. */
const registered: pulumi.runtime.MockResourceArgs[] = [];

pulumi.runtime.setMocks(
  {
    newResource(args) {
      registered.push(args);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      return args.inputs;
    },
  },
  "drover",
  "test",
  false,
);

/** The serialized provider may not exceed this many characters (it is stored in every resource's state). */
const PROVIDER_SIZE_BOUND = 20_000;

function shopApp(): App {
  const app = new App({ outdir: path.join(os.tmpdir(), "drover-provider-test-unused") });
  const web = new Job(app, "web", { datacenters: ["*"] });
  web
    .addGroup("frontend", { count: 2 })
    .addTask("server", { driver: Driver.mock({ runFor: "10m" }), resources: { cpu: 100, memoryMB: 64 } });
  const worker = new Job(app, "worker", { datacenters: ["*"], type: "batch" });
  worker.addGroup("jobs").addTask("work", { driver: Driver.mock({ runFor: "1s" }), resources: { cpu: 100, memoryMB: 64 } });
  return app;
}

/** Resolves once every resource of the program has been registered with the mocked engine. */
function settled(...resources: pulumi.Resource[]): Promise<unknown> {
  return new Promise((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(resolve));
}

describe("NomadApp under Pulumi's mocks", () => {
  let app: App;
  let component: NomadApp;
  let jobs: pulumi.runtime.MockResourceArgs[];

  beforeAll(async () => {
    app = shopApp();
    component = new NomadApp("shop", {
      app,
      address: "http://nomad.example:4646",
      token: "s3cret",
      purgeOnDestroy: true,
      jobSettings: { worker: { detach: true } },
    });
    await settled(component, ...Object.values(component.jobs));
    jobs = registered.filter((r) => r.type === NOMAD_JOB_TYPE);
  });

  it("creates one NomadJob per job of the App, under the component, with the shared settings", () => {
    expect(registered.find((r) => r.type === NOMAD_APP_TYPE)?.name).toBe("shop");
    expect(component.jobIds).toEqual(["web", "worker"]);
    expect(jobs.map((j) => j.name).sort()).toEqual(["shop-web", "shop-worker"]);
    const web = jobs.find((j) => j.name === "shop-web")!;
    const worker = jobs.find((j) => j.name === "shop-worker")!;
    expect(web.inputs.job).toEqual((app.jobs[0].toJson() as Obj).Job);
    expect(worker.inputs.job).toMatchObject({ ID: "worker", Type: "batch" });
    expect(web.inputs).toMatchObject({ address: "http://nomad.example:4646", purgeOnDestroy: true });
    expect(web.inputs.detach).toBeUndefined();
    expect(worker.inputs.detach).toBe(true);
  });

  it("sends the token to the engine as a secret", () => {
    for (const j of jobs)
      expect(j.inputs.token).toEqual({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "s3cret" });
  });

  it("serializes a small provider into every resource's inputs", () => {
    for (const j of jobs) {
      const text = j.inputs.__provider as string;
      expect(typeof text).toBe("string");
      expect(text).toContain("exports.handler");
      expect(text.length).toBeLessThan(PROVIDER_SIZE_BOUND);
      // The shell loads the handlers at call time: no lib/plan code is inlined.
      expect(text).not.toContain("normalizeDesired");
      expect(text).toContain("provider/handlers");
    }
  });

  it("reports every invalid job with its construct path and creates nothing", () => {
    const bad = new App();
    const job = new Job(bad, "broken", { datacenters: ["*"] });
    job.addGroup("g", { count: -1 }).addTask("t", { driver: Driver.mock(), resources: { cpu: 100, memoryMB: 64 } });
    const before = registered.length;
    expect(() => new NomadApp("bad", { app: bad })).toThrow(/broken/);
    expect(registered.length).toBe(before);
  });

  it("takes a DSL Job, a register request or a bare job as NomadJob's job", async () => {
    const dsl = new App();
    const job = new Job(dsl, "single", { datacenters: ["*"] });
    job.addGroup("g").addTask("t", { driver: Driver.mock(), resources: { cpu: 100, memoryMB: 64 } });
    const a = new NomadJob("from-dsl", { job });
    const b = new NomadJob("from-request", { job: job.toJson() });
    const c = new NomadJob("from-output", { job: pulumi.output(job.toJson().Job) });
    await settled(a, b, c);
    const inputsOf = (name: string) => registered.find((r) => r.name === name)!.inputs.job;
    expect(inputsOf("from-dsl")).toEqual(job.toJson().Job);
    expect(inputsOf("from-request")).toEqual(job.toJson().Job);
    expect(inputsOf("from-output")).toEqual(job.toJson().Job);
  });
});

const HELPERS = path.resolve(__dirname, "..", "helpers", "runtime.ts");
const maybe = fs.existsSync(HELPERS) ? describe : describe.skip;

maybe("the serialized provider from the mock's inputs, against the included runtime", () => {
  let agent: { address: string; stop(): Promise<void> };
  let dir: string;

  beforeAll(async () => {
    agent = await (require(HELPERS) as { startTestAgent(): Promise<typeof agent> }).startTestAgent();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-provider-"));
  });
  afterAll(async () => {
    await agent?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("checks and creates the job it was serialized for", async () => {
    const app = shopApp();
    const component = new NomadApp("loaded", { app, address: agent.address, detach: true });
    await settled(component, ...Object.values(component.jobs));
    const web = registered.find((r) => r.name === "loaded-web")!;
    // What the host does with __provider: load it as a module and call handler().
    const file = path.join(dir, "provider.js");
    fs.writeFileSync(file, web.inputs.__provider as string);
    const provider = (require(file) as { handler(): pulumi.dynamic.ResourceProvider }).handler();

    const { __provider: _, ...inputs } = web.inputs;
    void _;
    const checked = await provider.check!({}, inputs);
    expect(checked.failures ?? []).toEqual([]);
    expect(checked.inputs?.job).toMatchObject({ ID: "web", Namespace: "default", Priority: 50 });
    const created = await provider.create(checked.inputs!);
    expect(created.id).toBe("web@default");
    expect(created.outs).toMatchObject({ jobId: "web", version: 0, detach: true });

    const nomad = new NomadClient({ address: agent.address });
    try {
      expect(((await nomad.jobs.info("web")).data as Obj).TaskGroups[0].Count).toBe(2);
    } finally {
      await nomad.close();
    }
  });
});

describe("examples/queue-autoscaler/stack.ts under Pulumi's mocks", () => {
  it("declares the workers with preserveCounts, and each NomadJob carries its own URN for the provider's log", async () => {
    const { workers } = require("../../examples/queue-autoscaler/stack") as { workers: NomadJob };
    await settled(workers);
    const args = registered.find((r) => r.name === "queue-workers");
    expect(args?.inputs).toMatchObject({
      preserveCounts: true,
      waitTimeout: "2m",
      resourceUrn: "urn:pulumi:test::drover::pulumi-nodejs:dynamic/drover:NomadJob::queue-workers",
    });
    expect(await new Promise((resolve) => workers.urn.apply(resolve))).toBe(args?.inputs.resourceUrn);
    // A job of a NomadApp: the component's type comes first, as in the URN the engine gives it.
    expect(registered.find((r) => r.name === "shop-web")?.inputs.resourceUrn).toBe(
      "urn:pulumi:test::drover::drover:index:NomadApp$pulumi-nodejs:dynamic/drover:NomadJob::shop-web",
    );
  });
});
