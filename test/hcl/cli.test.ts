/** `drover validate|plan|apply` with HCL job files (and -var, -var-file, NOMAD_VAR_*). */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { testIO } from "../plan/cli-io";
import { api, startTestAgent, type TestAgent } from "../helpers/runtime";
import { FIXTURES } from "./helpers";

const JOB = `variable "count" {
  type    = number
  default = 1
}

variable "run_for" {
  type = string
}

job "hcl-cli" {
  datacenters = ["*"]

  group "g" {
    count = var.count

    task "t" {
      driver = "mock_driver"

      config {
        run_for = var.run_for
      }

      template {
        data        = file("tmpl.txt")
        destination = "local/out.txt"
      }

      resources {
        cpu    = 10
        memory = 16
      }
    }
  }
}
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-hcl-cli-"));
  fs.writeFileSync(path.join(dir, "job.nomad.hcl"), JOB);
  fs.writeFileSync(path.join(dir, "tmpl.txt"), 'hello {{ env "NOMAD_ALLOC_ID" }}\n');
  fs.writeFileSync(path.join(dir, "vars.hcl"), 'run_for = "1h"\ncount = 2\n');
  fs.copyFileSync(path.join(FIXTURES, "command-asset/example.nomad.hcl"), path.join(dir, "example.nomad.hcl"));
  fs.writeFileSync(path.join(dir, "broken.nomad"), 'job "b" {\n  group "g" {\n    count = 1\n    tsak "t" {}\n  }\n}\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = testIO(dir, env);
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("drover validate with HCL files", () => {
  it("validates the nomad job init example", async () => {
    const r = await run(["validate", "example.nomad.hcl"]);
    expect(r).toEqual({ code: 0, out: "example.nomad.hcl: ok\n", err: "" });
  });

  it("takes -var, -var-file and NOMAD_VAR_*; file() reads next to the job file", async () => {
    const missing = await run(["validate", "job.nomad.hcl"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      'job.nomad.hcl:6:1: Unset variable "run_for"; A used variable must be set or have a default value; see https://developer.hashicorp.com/nomad/docs/reference/hcl2/variables for details.\n',
    );
    expect((await run(["validate", "-var", "run_for=1h", "job.nomad.hcl"])).code).toBe(0);
    expect((await run(["validate", "-var=run_for=1h", "job.nomad.hcl"])).code).toBe(0);
    expect((await run(["validate", "job.nomad.hcl"], { NOMAD_VAR_run_for: "1h" })).code).toBe(0);
    const canonical = await run(["validate", "--canonical", "-var-file", "vars.hcl", "job.nomad.hcl"]);
    expect(canonical.code).toBe(0);
    const job = JSON.parse(canonical.out).Job;
    expect(job.TaskGroups[0].Count).toBe(2);
    expect(job.TaskGroups[0].Tasks[0].Config).toEqual({ run_for: "1h" });
    expect(job.TaskGroups[0].Tasks[0].Templates[0].EmbeddedTmpl).toBe('hello {{ env "NOMAD_ALLOC_ID" }}\n');
  });

  it("reports HCL errors as FILE:LINE:COLUMN with exit code 1, also in --json", async () => {
    const r = await run(["validate", "broken.nomad"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('broken.nomad:4:5: Unsupported block type; Blocks of type "tsak" are not expected here. Did you mean "task"?\n');
    const j = await run(["validate", "--json", "broken.nomad"]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)[0]).toMatchObject({
      file: "broken.nomad",
      valid: false,
      problems: [
        {
          message: 'Unsupported block type; Blocks of type "tsak" are not expected here. Did you mean "task"?',
          file: "broken.nomad",
          line: 4,
          column: 5,
          rule: "hcl",
        },
      ],
    });
  });

  it("rejects a -var for an undeclared variable", async () => {
    const r = await run(["validate", "-var", "run_for=1h", "-var", "nope=1", "job.nomad.hcl"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Undefined -var variable; A "nope" variable was passed in the command line');
  });
});

describe("drover plan and apply with HCL files", () => {
  let t: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent();
  });
  afterAll(async () => {
    await t.stop();
  });

  it("plans and applies job.nomad.hcl with -var", async () => {
    const env = { NOMAD_ADDR: t.address };
    const plan = await run(["plan", "-var", "run_for=1h", "job.nomad.hcl"], env);
    expect(plan.err).toBe("");
    expect(plan.code).toBe(0);
    expect(plan.out).toContain("hcl-cli");
    const apply = await run(["apply", "--yes", "--detach", "-var", "run_for=1h", "-var", "count=2", "job.nomad.hcl"], env);
    expect(apply.err).toBe("");
    expect(apply.code).toBe(0);
    const job = await api(t.address, "GET", "/v1/job/hcl-cli");
    expect(job.status).toBe(200);
    expect(job.body.TaskGroups[0].Count).toBe(2);
    expect(job.body.TaskGroups[0].Tasks[0].Config).toEqual({ run_for: "1h" });
  });

  it("fails with exit code 1 and the position when the HCL is broken", async () => {
    const r = await run(["plan", "broken.nomad"], { NOMAD_ADDR: t.address });
    expect(r.code).toBe(1);
    expect(r.err).toContain('broken.nomad:4:5: Unsupported block type; Blocks of type "tsak" are not expected here. Did you mean "task"?');
  });
});
