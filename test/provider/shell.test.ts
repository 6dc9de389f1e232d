/**
 * The serialized provider shell (size, what it captures, where it loads its
 * code from) and the handlers' pure parts (check and diff need no Nomad).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { check, diff, resourceId } from "../../provider/handlers";
import { UNKNOWN } from "../../provider/props";
import { createNomadJobProvider, handlerLocations } from "../../provider/shell";
import { serializeProvider } from "./host";

type Obj = Record<string, any>;

function job(over: Obj = {}): Obj {
  return {
    ID: "api",
    Datacenters: ["dc1"],
    TaskGroups: [
      {
        Name: "web",
        Count: 2,
        Tasks: [{ Name: "app", Driver: "mock_driver", Config: { run_for: "1h" }, Resources: { CPU: 100, MemoryMB: 64 } }],
      },
    ],
    ...over,
  };
}

/** Inputs as check stores them. */
function stored(j: Obj, more: Obj = {}): Obj {
  const res = check({}, { job: j, ...more });
  expect(res.failures).toEqual([]);
  return res.inputs;
}

describe("the serialized provider", () => {
  it("stays small and captures only the locations of its code", async () => {
    const text = await serializeProvider(createNomadJobProvider());
    expect(text.length).toBeLessThan(20_000);
    expect(text).toContain("exports.handler");
    for (const location of handlerLocations()) expect(text).toContain(JSON.stringify(location));
    // No library code, no Pulumi SDK, no live objects.
    expect(text).not.toMatch(/normalizeDesired|NomadClient|@pulumi\/pulumi|undici/);
  });

  it("looks for the installed package first, then beside itself, then in dist/ when run from the sources", () => {
    expect(handlerLocations("/repo/provider")).toEqual([
      "drover/provider/handlers",
      "drover/dist/provider/handlers",
      "/repo/provider/handlers",
      "/repo/dist/provider/handlers",
    ]);
    expect(handlerLocations("/app/node_modules/drover/dist/provider")).toEqual([
      "drover/provider/handlers",
      "drover/dist/provider/handlers",
      "/app/node_modules/drover/dist/provider/handlers",
    ]);
  });

  it("says where it looked when its code cannot be loaded", async () => {
    const provider = createNomadJobProvider(["/nowhere/provider/handlers"]);
    await expect(provider.check!({}, {})).rejects.toThrow(
      /cannot load its code: none of \/nowhere\/provider\/handlers resolves .*npm install drover/,
    );
  });

  it("does not hide an error inside the handlers module behind 'not found'", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-shell-"));
    try {
      const broken = path.join(dir, "handlers.js");
      fs.writeFileSync(broken, 'require("drover-no-such-dependency");\n');
      const provider = createNomadJobProvider([broken.replace(/\.js$/, "")]);
      await expect(provider.check!({}, {})).rejects.toThrow(/drover-no-such-dependency/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("check", () => {
  it("folds the namespace and region inputs into a job that sets none", () => {
    const inputs = stored(job(), { namespace: "team-a", region: "eu" });
    expect(inputs.job).toMatchObject({ Namespace: "team-a", Region: "eu" });
    expect(inputs).toMatchObject({ namespace: "team-a", region: "eu" });
    // Unset, they say where the job goes all the same (as the outputs of the same names will).
    expect(stored(job())).toMatchObject({ namespace: "default", region: "global" });
    expect(stored(job({ Namespace: "team-a" }), { namespace: "team-a" }).job.Namespace).toBe("team-a");
  });

  it("reports a missing job, wrong setting types and a non-positive waitTimeout", () => {
    expect(check({}, {}).failures).toEqual([
      { property: "job", reason: 'a job is required: a drover DSL Job, a bare job object or a {"Job": …} register request' },
    ]);
    const res = check({}, { job: job(), detach: "yes", address: 4646, waitTimeout: "0s" });
    expect(res.failures).toEqual([
      { property: "detach", reason: 'must be a boolean (got "yes")' },
      { property: "address", reason: "must be a string (got 4646)" },
      { property: "waitTimeout", reason: 'must be a positive Go duration such as "5m" (got "0s")' },
    ]);
  });

  it("is idempotent: checking stored inputs again changes nothing", () => {
    const once = stored(job());
    expect(stored(once.job)).toEqual(once);
  });
});

describe("diff", () => {
  const old = () => stored(job());
  const cases: [string, Obj, Obj][] = [
    ["the same program", job(), { changes: false }],
    [
      "values equal to Nomad's defaults written out",
      job({ Priority: 50, Namespace: "default", Region: "global", Type: "service" }),
      { changes: false },
    ],
    ["a count", job({ TaskGroups: [{ ...job().TaskGroups[0], Count: 3 }] }), { changes: true }],
    ["the ID", job({ ID: "api2" }), { changes: true, replaces: ["job"], deleteBeforeReplace: false }],
    ["the namespace", job({ Namespace: "other" }), { changes: true, replaces: ["job"], deleteBeforeReplace: false }],
    ["the type", job({ Type: "batch" }), { changes: true, replaces: ["job"], deleteBeforeReplace: true }],
    ["periodic", job({ Type: "batch", Periodic: { Spec: "@daily" } }), { changes: true, replaces: ["job"], deleteBeforeReplace: true }],
  ];
  it.each(cases)("%s", (_what, newJob, expected) => {
    expect(diff("api@default", old(), stored(newJob))).toEqual(expected);
  });

  it("a connection or behaviour setting is a change (an update that stores it), not a replacement", () => {
    expect(diff("api@default", old(), { ...old(), address: "http://10.0.0.1:4646" })).toEqual({ changes: true });
    expect(diff("api@default", old(), { ...old(), token: "new" })).toEqual({ changes: true });
    expect(diff("api@default", { ...old(), detach: false }, old())).toEqual({ changes: false });
  });

  it("outputs stored beside the inputs are no change", () => {
    const outs = {
      ...old(),
      jobId: "api",
      namespace: "default",
      region: "global",
      version: 3,
      jobModifyIndex: 40,
      status: "running",
      deploymentId: null,
      deploymentStatus: null,
      allocations: { running: 2 },
    };
    expect(diff("api@default", outs, old())).toEqual({ changes: false });
  });

  it('a job region of "global" takes the region the agent stored it in', () => {
    expect(diff("api@default", { ...old(), job: { ...old().job, Region: "eu" } }, old())).toEqual({ changes: false });
  });

  it("unknown values during a preview are some change; a known new ID still replaces", () => {
    expect(diff("api@default", old(), { job: { ...job(), TaskGroups: UNKNOWN } })).toEqual({ changes: true });
    expect(diff("api@default", old(), { job: { ...job(), ID: "api3", Meta: UNKNOWN } })).toEqual({ changes: true, replaces: ["job"] });
    expect(diff("api@default", old(), { ...old(), __provider: UNKNOWN })).toEqual({ changes: false });
  });
});

it("resource IDs name the job as Nomad's UI does", () => {
  expect(resourceId("api", "default")).toBe("api@default");
});
