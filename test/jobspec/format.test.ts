import type { Job } from "../../lib/jobspec";
import { JOB_MODEL, canonicalize, findBlockModel, formatJobJson, orderJobKeys } from "../../lib/jobspec";
import { fixture } from "./helpers";

type G = Record<string, any>;

describe("formatJobJson", () => {
  const job = {
    TaskGroups: [
      {
        Tasks: [{ Driver: "docker", Name: "t", Config: { z: 1, a: { y: 2, b: [{ d: 1, c: 2 }] } }, Env: { B: "2", A: "1" } }],
        Name: "g",
        Meta: { z: "1", a: "2" },
      },
    ],
    Type: "batch",
    ID: "j",
    Region: null,
    Meta: { b: "x", a: "y" },
  } as unknown as Job;

  test("writes keys in Nomad's api struct order, map keys sorted, nulls omitted, 2-space indent and a trailing newline", () => {
    expect(formatJobJson(job)).toBe(
      `{
  "Job": {
    "ID": "j",
    "Type": "batch",
    "TaskGroups": [
      {
        "Name": "g",
        "Tasks": [
          {
            "Name": "t",
            "Driver": "docker",
            "Config": {
              "a": {
                "b": [
                  {
                    "c": 2,
                    "d": 1
                  }
                ],
                "y": 2
              },
              "z": 1
            },
            "Env": {
              "A": "1",
              "B": "2"
            }
          }
        ],
        "Meta": {
          "a": "2",
          "z": "1"
        }
      }
    ],
    "Meta": {
      "a": "y",
      "b": "x"
    }
  }
}
`,
    );
  });

  test("wrap: false writes the bare job", () => {
    expect(formatJobJson({ ID: "j" } as Job, { wrap: false })).toBe('{\n  "ID": "j"\n}\n');
  });

  test("is deterministic: any key order of the input gives the same bytes", () => {
    const a = (fixture("json-jobs__syntax__example-job.json") as G).Job;
    const shuffle = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shuffle);
      if (v && typeof v === "object")
        return Object.fromEntries(
          Object.entries(v)
            .reverse()
            .map(([k, x]) => [k, shuffle(x)]),
        );
      return v;
    };
    expect(formatJobJson(shuffle(a) as Job)).toBe(formatJobJson(a));
    expect(formatJobJson(a)).toBe(formatJobJson(JSON.parse(formatJobJson(a)).Job));
  });

  test("the declared order is the field order of Nomad's api structs", () => {
    expect(JOB_MODEL.keys.slice(0, 12)).toEqual([
      "Region",
      "Namespace",
      "ID",
      "Name",
      "Type",
      "Priority",
      "AllAtOnce",
      "Datacenters",
      "NodePool",
      "Constraints",
      "Affinities",
      "TaskGroups",
    ]);
    expect(findBlockModel("Task")?.keys.slice(0, 10)).toEqual([
      "Name",
      "Driver",
      "User",
      "Lifecycle",
      "Config",
      "Constraints",
      "Affinities",
      "Env",
      "Services",
      "Resources",
    ]);
    expect(findBlockModel("Resources")?.keys).toEqual([
      "CPU",
      "Cores",
      "MemoryMB",
      "MemoryMaxMB",
      "DiskMB",
      "Networks",
      "Devices",
      "NUMA",
      "SecretsMB",
      "IOPS",
    ]);
  });

  test("orderJobKeys returns an ordered copy and leaves the input alone", () => {
    const input = { TaskGroups: [], ID: "x", Name: null } as unknown as Job;
    const out = orderJobKeys(input);
    expect(Object.keys(out)).toEqual(["ID", "TaskGroups"]);
    expect(Object.keys(input)).toEqual(["TaskGroups", "ID", "Name"]);
  });

  test('a "__proto__" key (which JSON.parse makes an ordinary key) stays an ordinary key', () => {
    const job = JSON.parse(
      '{"ID":"x","Meta":{"__proto__":"m"},"TaskGroups":[{"Name":"g","Tasks":[{"Name":"t","Config":{"__proto__":{"polluted":true}}}]}]}',
    ) as Job;
    const text = formatJobJson(canonicalize(job));
    expect(text).toContain('"__proto__": "m"');
    expect(text).toContain('"polluted": true');
    expect(({} as G).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(canonicalize(job).TaskGroups![0].Tasks![0].Config as G)).toBe(Object.prototype);
  });

  test("volumes (a map of blocks) are sorted by name and their keys ordered", () => {
    const out = orderJobKeys({
      ID: "x",
      TaskGroups: [{ Name: "g", Volumes: { z: { Source: "s", Type: "host" }, a: { ReadOnly: true, Name: "a" } } }],
    } as Job) as G;
    expect(Object.keys(out.TaskGroups[0].Volumes)).toEqual(["a", "z"]);
    expect(Object.keys(out.TaskGroups[0].Volumes.z)).toEqual(["Type", "Source"]);
  });
});
