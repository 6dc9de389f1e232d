/**
 * Run-time prop checks: every prop of every construct (and of every nested
 * props interface) is checked, so that a misspelling is reported at
 * synthesis with a did-you-mean, also for JavaScript programs and `as any`.
 */
import { App, Driver, Group, Job, SynthesisError } from "../../lib/dsl";
import { PROP_SPECS } from "../../lib/dsl/props/specs.generated";
import type { PropSpec, PropType } from "../../lib/dsl/props/types";
import { generatePropSpecs, OUTPUT } from "../../scripts/prop-specs";
import * as fs from "node:fs";

type Props = Record<string, unknown>;

/** Synthesizes and returns the problem lines (empty when it succeeds). */
function problems(build: (app: App) => void): string[] {
  const app = new App({ outdir: "unused" });
  build(app);
  try {
    app.synthJobs();
    return [];
  } catch (err) {
    if (!(err instanceof SynthesisError)) throw err;
    return err.problems.map((p) => `${p.constructPath || "(app)"}: ${p.prop}: ${p.message}`);
  }
}

const job = (app: App, props: Props = {}) => new Job(app, "j", props as never);
const group = (app: App, props: Props = {}) => job(app).addGroup("g", props as never);

/** Where each top-level props interface is given: how to build a program that passes `value` there, and the construct path and prop prefix problems carry. */
const ENTRIES: Record<string, { path: string; prefix: string; build: (app: App, value: Props) => void }> = {
  AppProps: { path: "(app)", prefix: "", build: () => undefined },
  JobProps: { path: "j", prefix: "", build: (app, v) => job(app, v) },
  GroupProps: { path: "j/g", prefix: "", build: (app, v) => group(app, v) },
  TaskProps: { path: "j/g/t", prefix: "", build: (app, v) => group(app).addTask("t", { driver: Driver.mock(), ...v } as never) },
  ServiceProps: { path: "j/g/s", prefix: "", build: (app, v) => group(app).addService("s", v as never) },
  NetworkProps: { path: "j/g/network", prefix: "", build: (app, v) => group(app).network.configure(v as never) },
  PortOptions: { path: "j/g/network", prefix: "ports.p", build: (app, v) => group(app).network.addDynamicPort("p", v as never) },
  GroupPortProps: { path: "j/g", prefix: "ports.p", build: (app, v) => group(app).addPort("p", v as never) },
  VolumeProps: { path: "j/g", prefix: "volumes.v", build: (app, v) => (group(app) as Group).addVolume("v", v as never) },
  DockerConfig: { path: "j/g/t", prefix: "driver", build: (app, v) => group(app).addTask("t", { driver: Driver.docker(v as never) }) },
  ExecConfig: { path: "j/g/t", prefix: "driver", build: (app, v) => group(app).addTask("t", { driver: Driver.exec(v as never) }) },
  RawExecConfig: { path: "j/g/t", prefix: "driver", build: (app, v) => group(app).addTask("t", { driver: Driver.rawExec(v as never) }) },
  JavaConfig: { path: "j/g/t", prefix: "driver", build: (app, v) => group(app).addTask("t", { driver: Driver.java(v as never) }) },
  QemuConfig: { path: "j/g/t", prefix: "driver", build: (app, v) => group(app).addTask("t", { driver: Driver.qemu(v as never) }) },
  MockDriverConfig: { path: "j/g/t", prefix: "driver", build: (app, v) => group(app).addTask("t", { driver: Driver.mock(v as never) }) },
};

/** A props object somewhere in a program: how to build the program with `value` at that place, and where problems there are reported. */
interface Target {
  name: string;
  spec: PropSpec;
  path: string;
  prefix: string;
  build: (app: App, value: Props) => void;
}

const join = (prefix: string, key: string | number) => (typeof key === "number" ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key);

/** Every props object reachable from the entries, each found by the first way to reach it. */
function targets(): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  const queue: Target[] = Object.entries(ENTRIES).map(([name, e]) => ({ name, spec: PROP_SPECS[name], ...e }));
  while (queue.length) {
    const t = queue.shift()!;
    if (seen.has(t.name)) continue;
    seen.add(t.name);
    out.push(t);
    for (const [key, type] of Object.entries(t.spec.props)) {
      // How to place an object of a nested interface under `key`.
      const nest = (ty: PropType, prefix: string, wrap: (v: Props) => unknown, name: string): void => {
        if (ty.k === "ref")
          queue.push({
            name: ty.name,
            spec: PROP_SPECS[ty.name],
            path: t.path,
            prefix,
            build: (app, v) => t.build(app, { [key]: wrap(v) }),
          });
        else if (ty.k === "object")
          queue.push({
            name,
            spec: { props: ty.props, required: ty.required },
            path: t.path,
            prefix,
            build: (app, v) => t.build(app, { [key]: wrap(v) }),
          });
        else if (ty.k === "array") nest(ty.of, join(prefix, 0), (v) => [wrap(v)], `${name}[]`);
        else if (ty.k === "record") nest(ty.of, join(prefix, "k"), (v) => ({ k: wrap(v) }), `${name}{}`);
        else if (ty.k === "union") for (const m of ty.of) if (m.k === "ref" || m.k === "object") nest(m, prefix, wrap, name);
      };
      nest(type, join(t.prefix, key), (v) => v, `${t.name}.${key}`);
    }
  }
  return out;
}

/** A misspelling of `key` that is not another prop: the first letter's case changed, or two letters swapped. */
function misspell(key: string, known: readonly string[], i: number): string {
  const flipped = (key[0] === key[0].toUpperCase() ? key[0].toLowerCase() : key[0].toUpperCase()) + key.slice(1);
  const swapped = key.length >= 4 ? key.slice(0, 1) + key[2] + key[1] + key.slice(3) : flipped;
  const pick = i % 2 === 0 || swapped === key ? flipped : swapped;
  return known.includes(pick) ? flipped : pick;
}

describe("run-time prop checks", () => {
  test("the prop specs are generated from the current prop interfaces (npx tsx scripts/prop-specs.ts)", () => {
    expect(fs.readFileSync(OUTPUT, "utf8")).toBe(generatePropSpecs());
  }, 60_000);

  test("the issue's example: a misspelled prop is reported with its construct path and a did-you-mean", () => {
    const found = problems((app) => {
      const web = new Job(app, "python-service").addGroup("web");
      web.addTask("app", { driver: Driver.docker({ image: "python:3" }), resources: { memoryMb: 512 } as never });
    });
    expect(found).toEqual(['python-service/web/app: resources.memoryMb: unknown prop (did you mean "memoryMB"?)']);
  });

  test("the docker driver's `port` key is reported at synthesis", () => {
    const found = problems((app) => group(app).addTask("t", { driver: Driver.docker({ image: "x", port: ["http"] } as never) }));
    expect(found).toEqual(['j/g/t: driver.port: unknown prop (did you mean "ports"?)']);
  });

  test("wrong types and missing required props are reported", () => {
    const found = problems((app) => {
      const g = group(app, { count: "3" });
      g.addTask("t", {
        driver: Driver.docker({ image: 7 } as never),
        resources: { cpu: 100, memoryMB: "512" } as never,
        killTimeout: 30 as never,
      });
      g.addTask("u", {} as never);
      g.addService("s", { checks: [{ type: "http", path: "/", interval: "10s" }] } as never);
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'j/g: count: expected a number (got the string "3")',
        "j/g/t: driver.image: expected a string (got the number 7)",
        'j/g/t: resources.memoryMB: expected a number (got the string "512")',
        'j/g/t: killTimeout: expected a duration ("30s", "1h30m" or a Duration) (got the number 30)',
        "j/g/u: driver: is required",
        "j/g/s: checks[0].timeout: is required",
      ]),
    );
  });

  test("items added later are checked too", () => {
    const found = problems((app) => {
      const g = group(app);
      g.addConstraint({ attribute: "${attr.kernel.name}", value: "linux", operater: "=" } as never);
      g.addTask("t", { driver: Driver.mock() }).addTemplate({ data: "x", destination: "local/x", changeMod: "noop" } as never);
    });
    expect(found).toEqual([
      'j/g: constraints[0].operater: unknown prop (did you mean "operator"?)',
      'j/g/t: templates[0].changeMod: unknown prop (did you mean "changeMode"?)',
    ]);
  });

  const all = targets();
  const cases = all.flatMap((t) =>
    Object.keys(t.spec.props).map((key, i) => ({ target: t, key, typo: misspell(key, Object.keys(t.spec.props), i) })),
  );

  test("every props interface is reached", () => {
    const reached = new Set(all.map((t) => t.name));
    expect(Object.keys(PROP_SPECS).filter((n) => !reached.has(n))).toEqual([]);
    expect(cases.length).toBeGreaterThan(300);
  });

  test("a misspelling of every prop of every construct is reported with a did-you-mean", () => {
    const missed: string[] = [];
    for (const { target, key, typo } of cases) {
      const expected = `${target.path}: ${join(target.prefix, typo)}: unknown prop (did you mean ${JSON.stringify(key)}?)`;
      const found = problems((app) => target.build(app, { [typo]: 1 }));
      if (target.name === "AppProps") {
        const app = new App({ [typo]: "x" } as never);
        try {
          app.synthJobs();
          missed.push(`${target.name}.${key} (as ${typo})`);
        } catch (err) {
          if (!(err as Error).message.includes(`${typo}: unknown prop (did you mean ${JSON.stringify(key)}?)`))
            missed.push(`${target.name}.${key} (as ${typo})`);
        }
        continue;
      }
      if (!found.includes(expected)) missed.push(`${target.name}.${key} (as ${typo}): expected ${expected}; got ${found.join(" | ")}`);
    }
    expect(missed).toEqual([]);
  });
});
