/**
 * HCL job files as jobspec2 evaluates them: variables (defaults, types,
 * -var, NOMAD_VAR_*, var files, validation), locals, functions, dynamic
 * blocks, and runtime interpolations kept for the client. The cases follow
 * what hashicorp/nomad's jobspec2/parse_test.go checks, asserted here in our
 * own words.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseJob } from "./helpers";

const VARS_JOB = `
variables {
  region_var = "default_region"
}

variable "dc_var" {
  default = "default_dc"
}

job "example" {
  datacenters = [var.dc_var]
  region      = var.region_var
}
`;

describe("variables", () => {
  it("uses defaults, then NOMAD_VAR_* environment, then var files, then -var (the last wins)", () => {
    expect(parseJob(VARS_JOB).job).toMatchObject({ Datacenters: ["default_dc"], Region: "default_region" });
    expect(parseJob(VARS_JOB, { argVars: ["dc_var=set_dc", "region_var=set_region"] }).job).toMatchObject({
      Datacenters: ["set_dc"],
      Region: "set_region",
    });
    expect(parseJob(VARS_JOB, { env: { NOMAD_VAR_dc_var: "env_dc", NOMAD_VAR_region_var: "env_region", OTHER: "x" } }).job).toMatchObject({
      Datacenters: ["env_dc"],
      Region: "env_region",
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-hcl-vars-"));
    try {
      const varFile = path.join(dir, "vars.hcl");
      fs.writeFileSync(varFile, 'dc_var = "file_dc"\n  region_var = "file_region"\n');
      expect(parseJob(VARS_JOB, { varFiles: [varFile] }).job).toMatchObject({ Datacenters: ["file_dc"], Region: "file_region" });
      expect(
        parseJob(VARS_JOB, { varFiles: [varFile], env: { NOMAD_VAR_dc_var: "env_dc" }, argVars: ["region_var=cmd_region"] }).job,
      ).toMatchObject({ Datacenters: ["file_dc"], Region: "cmd_region" });
      const jsonFile = path.join(dir, "vars.json");
      fs.writeFileSync(jsonFile, '{"dc_var": "json_dc"}');
      expect(parseJob(VARS_JOB, { varFiles: [jsonFile] }).job).toMatchObject({ Datacenters: ["json_dc"] });
      const broken = path.join(dir, "broken.hcl");
      fs.writeFileSync(broken, "invalid{hcl");
      expect(parseJob(VARS_JOB, { varFiles: [broken] }).job).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const missing = parseJob(VARS_JOB, { varFiles: ["/nonexistent/does-not-exist.hcl"] });
    expect(missing.job).toBeUndefined();
    expect(missing.errors).toContain("Failed to read file");
  });

  it("takes a var file's content inline (the HTTP API's Variables)", () => {
    expect(parseJob(VARS_JOB, { varContent: 'region_var = "inline"' }).job).toMatchObject({ Region: "inline" });
  });

  it("converts values to the declared type; complex -var values are HCL expressions", () => {
    const src = `
variable "count" {
  type    = number
  default = 1
}
variable "dcs" {
  type = list(string)
}
variable "labels" {
  type    = map(string)
  default = { a = 1 }
}
job "typed" {
  datacenters = var.dcs
  meta        = var.labels
  group "g" {
    count = var.count
    task "t" {
      driver = "mock_driver"
    }
  }
}
`;
    const r = parseJob(src, { argVars: ['dcs=["dc1", "dc2"]', "count=3"] });
    expect(r.errors).toBe("");
    expect(r.job.Datacenters).toEqual(["dc1", "dc2"]);
    expect(r.job.Meta).toEqual({ a: "1" });
    expect(r.job.TaskGroups[0].Count).toBe(3);
    const bad = parseJob(src, { argVars: ['dcs=["dc1"]', "count=many"] });
    expect(bad.errors).toContain(
      "Invalid argument value for -var variable; The value for count is not compatible with the variable's type constraint: a number is required",
    );
    expect(parseJob(src, { argVars: ["count=2"] }).errors).toMatch(/^job\.nomad\.hcl:6:1: Unset variable "dcs"/);
  });

  it("reports unset variables, undefined -var names, and bad type specifications", () => {
    expect(parseJob('variable "region_var" {}\njob "example" {\n  region = var.region_var\n}\n').errors).toContain(
      'job.nomad.hcl:1:1: Unset variable "region_var"',
    );
    expect(parseJob(VARS_JOB, { argVars: ["nope=1"] }).errors).toContain(
      'Undefined -var variable; A "nope" variable was passed in the command line',
    );
    expect(parseJob('variable "x" {\n  type = lisst(string)\n}\njob "j" {}\n').errors).toContain(
      'job.nomad.hcl:2:10: Invalid type specification; Keyword "lisst" is not a valid type constructor.',
    );
    expect(parseJob('variable "x" {\n  type    = number\n  default = "abc"\n}\njob "j" {}\n').errors).toContain(
      "job.nomad.hcl:3:13: Invalid default value for variable",
    );
  });

  it("checks validation rules with the rule's message", () => {
    const src = `
variable "size" {
  default = 3
  validation {
    condition     = var.size < 10
    error_message = "Size must be below 10."
  }
}
job "v" {
  meta {
    size = var.size
  }
}
`;
    expect(parseJob(src).job.Meta).toEqual({ size: "3" });
    const r = parseJob(src, { argVars: ["size=12"] });
    expect(r.job).toBeUndefined();
    expect(r.errors).toContain("Invalid value for cmd variable; Size must be below 10.");
  });
});

describe("variable validation rules, as jobspec2's validation-message test checks them", () => {
  const jobWith = (errorMessage: string, condition = 'var.build_id != ""') => `
variable "build_id" {
  type    = string
  default = "12345"
  validation {
    condition     = ${condition}
    error_message = "${errorMessage}"
  }
}

job "example" {
  datacenters = ["dc1"]
}
`;

  it("accepts any non-blank message, in any language, with or without a period", () => {
    expect(parseJob(jobWith("ビルド番号を確認してください")).errors).toBe("");
    expect(parseJob(jobWith("build id is required")).errors).toBe("");
  });

  it("rejects an empty or blank message", () => {
    expect(parseJob(jobWith("")).errors).toContain("job.nomad.hcl:7:21: Invalid validation error message");
    expect(parseJob(jobWith("   ")).errors).toContain("Invalid validation error message");
  });

  it("lets a condition refer only to its own variable", () => {
    expect(parseJob(jobWith("bad", 'var.other != "" && var.build_id != ""')).errors).toContain(
      'job.nomad.hcl:6:21: Invalid reference in variable validation; The condition for variable "build_id" can only refer to the variable itself, using var.build_id.',
    );
    expect(parseJob(jobWith("bad", "true")).errors).toContain(
      'Invalid variable validation condition; The condition for variable "build_id" must refer to var.build_id in order to test incoming values.',
    );
    expect(parseJob(jobWith("ok", 'length([for c in split("", var.build_id) : c if c != "0"]) > 0')).errors).toBe("");
  });
});

describe("locals and functions", () => {
  it("evaluates locals in dependency order, with variables and functions", () => {
    const src = `
variables {
  region_var = "default_region"
}
locals {
  region = "\${local.prefix}\${var.region_var}.example"
  prefix = "r-"
  dc     = "local_dc"
}
job "example" {
  datacenters = [for s in [local.dc, "dc2"] : upper(s)]
  region      = local.region
}
`;
    expect(parseJob(src).job).toMatchObject({ Datacenters: ["LOCAL_DC", "DC2"], Region: "r-default_region.example" });
    expect(parseJob(src, { argVars: ["region_var=set_region"] }).job.Region).toBe("r-set_region.example");
  });

  it("looks values up per environment, as in Nomad's functions-and-lookups test", () => {
    const src = `
variable "env" {
  description = "target environment for the job"
}
locals {
  environments = {
    prod    = { count = 20, dcs = ["prod-dc1", "prod-dc2"] },
    staging = { count = 3, dcs = ["dc1"] },
  }
  env = lookup(local.environments, var.env, { count = 0, dcs = [] })
}
job "job-webserver" {
  datacenters = local.env.dcs
  group "group-webserver" {
    count = local.env.count
    task "server" {
      driver = "docker"
      config {
        image = "hashicorp/http-echo"
        args  = ["-text", "Hello from \${var.env}"]
      }
    }
  }
}
`;
    for (const [env, dcs, count] of [
      ["prod", ["prod-dc1", "prod-dc2"], 20],
      ["staging", ["dc1"], 3],
      ["unknown", [], 0],
    ] as const) {
      const job = parseJob(src, { argVars: [`env=${env}`] }).job;
      expect(job.Datacenters).toEqual(dcs);
      expect(job.TaskGroups[0].Count).toBe(count);
      expect(job.TaskGroups[0].Tasks[0].Config).toEqual({ image: "hashicorp/http-echo", args: ["-text", `Hello from ${env}`] });
    }
  });

  it("expands dynamic blocks with their iterator, labels and nested maps", () => {
    const src = `
job "example" {
  dynamic "group" {
    for_each = [
      { name = "groupA", idx = 1 },
      { name = "groupB", idx = 2 },
      { name = "groupC", idx = 3 },
    ]
    labels = [group.value.name]
    content {
      count = group.value.idx
      service {
        port = group.value.name
      }
      task "simple" {
        driver = "raw_exec"
        config {
          command = group.value.name
        }
        meta {
          VERSION = group.value.idx
        }
        env {
          ID = format("id:%s", group.value.idx)
        }
        resources {
          cpu = group.value.idx
        }
      }
    }
  }
}
`;
    const job = parseJob(src).job;
    expect(job.TaskGroups.map((g: any) => g.Name)).toEqual(["groupA", "groupB", "groupC"]);
    expect(job.TaskGroups[0].Tasks[0].Resources.CPU).toBe(1);
    expect(job.TaskGroups[0].Services[0].PortLabel).toBe("groupA");
    expect(job.TaskGroups[0].Tasks[0].Config.command).toBe("groupA");
    expect(job.TaskGroups[0].Tasks[0].Meta.VERSION).toBe("1");
    expect(job.TaskGroups[0].Tasks[0].Env.ID).toBe("id:1");
    expect(job.TaskGroups[1].Tasks[0].Env.ID).toBe("id:2");
    expect(job.TaskGroups[2].Tasks[0].Meta.VERSION).toBe("3");
  });

  it("allows file() only when asked, relative to the job file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-hcl-file-"));
    try {
      fs.writeFileSync(path.join(dir, "region.txt"), "from-file");
      const src = 'job "example" {\n  region = file("region.txt")\n}\n';
      const file = path.join(dir, "job.nomad.hcl");
      expect(parseJob(src, { file, allowFs: true }).job.Region).toBe("from-file");
      const off = parseJob(src, { file, allowFs: false });
      expect(off.job).toBeUndefined();
      expect(off.errors).toContain("filesystem function disabled");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("runtime interpolations", () => {
  it.each([
    "plain",
    "foo-${BAR}",
    "foo-${attr.network.dev-us-east1-relay-vpc.external-ip.0}",
    '${env["BLAH"]}',
    '${mixed-indexing.0[3]["FOO"].5}',
    'with spaces ${   root.  field[  "FOO"].5  }',
    "${NOMAD_ALLOC_DIR}/data",
    "${node.unique.name}-${meta.rack}",
  ])("keeps %s as written", (text) => {
    const src = `job "example" {\n  region = "${text}"\n}\n`;
    expect(parseJob(src).job.Region).toBe(text);
  });

  it("keeps an unquoted reference as an interpolation", () => {
    expect(parseJob('job "example" {\n  region = meta.mytest\n}\n').job.Region).toBe("${meta.mytest}");
  });

  it("still fails on unknown attributes of var and local", () => {
    expect(parseJob('job "example" {\n  region = var.nope\n}\n').errors).toContain(
      'job.nomad.hcl:2:16: Unsupported attribute; This object does not have an attribute named "nope".',
    );
  });
});
