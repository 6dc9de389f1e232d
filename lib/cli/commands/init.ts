/** `drover init`: writes a minimal drover project that synthesizes at once. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command, CommandIO } from "../command";
import { UsageError } from "../command";
import { parseCommandArgs } from "../args";
import { droverDependency } from "./init/drover-dependency";

const USAGE = `Usage: drover init [DIR] [--pulumi] [--drover SPEC]

Writes a new drover project into DIR (default: the current directory):

  package.json    depends on drover (and typescript, @types/node)
  tsconfig.json   strict, CommonJS, as \\\`drover synth\\\` type-checks with
  jobs/main.ts    one job (redis on docker)
  .gitignore      node_modules and dist
  README.md       how to synth, plan and apply

Then: npm install && npx drover synth jobs/main.ts

Options:
  --pulumi   Also write Pulumi.yaml and index.ts, a Pulumi program that
             deploys the jobs with drover's NomadApp (adds @pulumi/pulumi);
             the tsconfig.json is then the one \\\`pulumi new typescript\\\` writes.
  --drover SPEC
             The npm dependency spec of drover in package.json, e.g.
             file:../drover-0.1.0.tgz (from \\\`npm pack\\\`) or a git URL.
             drover is not published on npm: by default the spec points at
             this drover (file:<path to this checkout>, or the spec of the
             project it is installed in).

Nothing is overwritten: when a file already exists, init writes nothing
and exits 1.

Exit codes: 0 written, 1 a file exists, 2 usage error (also: no --drover
and this drover's origin cannot be told).`;

/** A package name from a directory name: lower case, npm's allowed characters. */
function packageName(dir: string): string {
  const name = path
    .basename(path.resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+|[-]+$/g, "");
  return name || "nomad-jobs";
}

const MAIN_TS = `/**
 * The Nomad jobs of this project. \`npx drover synth jobs/main.ts\` type-checks
 * this program, runs it and writes dist/<job-id>.json for each job.
 */
import { App, Driver, Job } from "drover";

const app = new App();

const redis = new Job(app, "redis", { datacenters: ["*"] });
const cache = redis.addGroup("cache", { count: 1 });
const db = cache.network.addDynamicPort("db", { to: 6379 });
cache.addService("redis-service", { name: "redis", port: db, checks: [{ type: "tcp", interval: "10s", timeout: "2s" }] });
cache.addTask("redis", {
  driver: Driver.docker({ image: "redis:7", ports: [db] }),
  resources: { cpu: 500, memoryMB: 256 },
});

app.synth();
`;

const PULUMI_INDEX_TS = `/**
 * A Pulumi program that deploys the jobs of jobs/ to Nomad, one resource per
 * job. Configuration (optional; the NOMAD_* environment is the default):
 *   pulumi config set nomadAddress http://127.0.0.1:4646
 *   pulumi config set --secret nomadToken <secret id>
 */
import * as pulumi from "@pulumi/pulumi";
import { App, Driver, Job } from "drover";
import { NomadApp } from "drover/provider";

const config = new pulumi.Config();

const app = new App();
const redis = new Job(app, "redis", { datacenters: ["*"] });
const cache = redis.addGroup("cache");
const db = cache.network.addDynamicPort("db", { to: 6379 });
cache.addTask("redis", { driver: Driver.docker({ image: "redis:7", ports: [db] }), resources: { cpu: 500, memoryMB: 256 } });

const jobs = new NomadApp("jobs", {
  app,
  address: config.get("nomadAddress"),
  token: config.getSecret("nomadToken"),
});

/** The deployed jobs' versions. */
export const versions = Object.fromEntries(Object.entries(jobs.jobs).map(([id, job]) => [id, job.version]));
`;

/** The tsconfig.json \`pulumi new typescript\` writes, which Pulumi type-checks the program with. */
export const PULUMI_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

/** The files of a new project, by path relative to its directory. */
function projectFiles(dir: string, pulumi: boolean, droverSpec: string): Record<string, string> {
  const name = packageName(dir);
  const pkg = {
    name,
    version: "0.1.0",
    private: true,
    description: "Nomad jobs written with drover",
    scripts: {
      synth: "drover synth jobs/main.ts",
      plan: "drover plan dist",
      apply: "drover apply dist",
      ...(pulumi ? { up: "pulumi up" } : {}),
    },
    dependencies: { drover: droverSpec, ...(pulumi ? { "@pulumi/pulumi": "^3.100.0" } : {}) },
    devDependencies: { "@types/node": "^20.19.0", typescript: "~5.9.2" },
  };
  const tsconfig = pulumi
    ? { ...PULUMI_TSCONFIG, files: ["index.ts", "jobs/main.ts"] }
    : {
        compilerOptions: {
          strict: true,
          target: "es2022",
          module: "commonjs",
          moduleResolution: "node",
          esModuleInterop: true,
          skipLibCheck: true,
          outDir: "bin",
        },
        include: ["jobs/**/*.ts"],
      };
  const files: Record<string, string> = {
    "package.json": JSON.stringify(pkg, null, 2) + "\n",
    "tsconfig.json": JSON.stringify(tsconfig, null, 2) + "\n",
    "jobs/main.ts": MAIN_TS,
    ".gitignore": ["node_modules/", "dist/", "bin/", ""].join("\n"),
    "README.md": [
      `# ${name}`,
      "",
      "Nomad jobs written in TypeScript with drover.",
      "",
      "- `npx drover synth jobs/main.ts`: type-check the program and write `dist/<job-id>.json` for each job",
      "- `npx drover plan dist`: show what would change on the cluster (`NOMAD_ADDR`, `NOMAD_TOKEN`)",
      "- `npx drover apply dist`: register the jobs and wait for their deployments",
      ...(pulumi ? ["- `pulumi up`: deploy the jobs of `index.ts` with Pulumi (drover's `NomadApp`)"] : []),
      "",
    ].join("\n"),
  };
  if (pulumi) {
    files["Pulumi.yaml"] = [
      `name: ${name}`,
      "description: Nomad jobs deployed with drover's NomadApp",
      "runtime:",
      "  name: nodejs",
      "  options:",
      "    typescript: true",
      "",
    ].join("\n");
    files["index.ts"] = PULUMI_INDEX_TS;
  }
  return files;
}

/** The `drover init` command. */
export const command: Command = {
  name: "init",
  summary: "Write a new drover project (package.json, tsconfig.json, jobs/main.ts)",
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const args = parseCommandArgs(argv, { pulumi: { type: "boolean" }, drover: { type: "string" } });
    if (args.positionals.length > 1) throw new UsageError(`expected at most one directory, got ${args.positionals.length}`);
    const dir = path.resolve(io.cwd, args.positionals[0] ?? ".");
    const option = args.values.drover as string | undefined;
    if (option !== undefined && option.trim() === "")
      throw new UsageError("--drover needs an npm dependency spec, e.g. file:../drover-0.1.0.tgz");
    const dependency = droverDependency(dir, option);
    if (!dependency)
      throw new UsageError(
        "cannot tell where this drover was installed from (drover is not published on npm); " +
          "give the dependency spec with --drover, e.g. --drover file:../drover-0.1.0.tgz",
      );
    const files = projectFiles(dir, !!args.values.pulumi, dependency.spec);
    const shown = (f: string) => path.relative(io.cwd, path.join(dir, f)) || f;
    const existing = Object.keys(files).filter((f) => fs.existsSync(path.join(dir, f)));
    if (existing.length > 0) {
      io.err.write(
        `drover init: ${existing.map(shown).join(", ")} already exist${existing.length === 1 ? "s" : ""}; nothing was written\n`,
      );
      return 1;
    }
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
      io.out.write(`wrote ${shown(f)}\n`);
    }
    const cd = path.relative(io.cwd, dir);
    io.out.write(`\ndrover dependency: ${dependency.spec}${dependency.source === "checkout" ? " (this checkout)" : ""}\n`);
    io.out.write(`Next: ${cd ? `cd ${cd} && ` : ""}npm install && npx drover synth jobs/main.ts\n`);
    return 0;
  },
};
