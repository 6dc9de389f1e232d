/**
 * Every HCL fixture in /work/shared/fixtures/hcl parses, and the decoded
 * job passes lib/jobspec's validateJob, except for the files listed below
 * with the reason (see README.md beside this test).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validateJob } from "../../lib/jobspec";
import { formatDiagnostics, parseJobHcl } from "../../lib/jobspec/hcl";
import { FIXTURES } from "./helpers";

function files(dir: string): string[] {
  return fs.readdirSync(path.join(FIXTURES, dir)).sort();
}

function parse(rel: string, options: { argVars?: string[] } = {}) {
  const file = path.join(FIXTURES, rel);
  return parseJobHcl(fs.readFileSync(file, "utf8"), { file: rel, baseDir: path.dirname(file), allowFs: true, ...options });
}

/** Files that parse but are not complete jobs, or break one of Nomad's Validate rules on purpose: file → the rule that fails. */
const NOT_VALID_JOBS: Record<string, RegExp> = {
  // jobspec2 fixtures written to test one decoding feature; their tasks have no driver.
  "jobspec2/config-compatibility.hcl": /missing task driver/,
  "jobspec2/restart-render-templates.hcl": /missing task driver/,
  "jobspec2/template-err-missing-key.hcl": /missing task driver/,
  "jobspec2/template-wait-config.hcl": /missing task driver/,
};

/** Variables that files need (they declare them without a default, as e2e suites pass them with -var). */
const NEEDS_VARS: Record<string, string[]> = {
  "e2e/task_schedule__schedule.nomad.hcl": ["start=0 12 * * *", "end=0 13 * * *"],
};

describe.each(["jobspec2", "command-asset", "e2e"])("fixtures/hcl/%s", (dir) => {
  it.each(files(dir))("%s parses and validates", (name) => {
    const rel = `${dir}/${name}`;
    const r = parse(rel, { argVars: NEEDS_VARS[rel] });
    expect(formatDiagnostics(r.diagnostics.filter((d) => d.severity === "error"))).toBe("");
    expect(r.job).toBeDefined();
    const v = validateJob(r.job);
    const problems = v.valid ? "" : v.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    if (NOT_VALID_JOBS[rel]) expect(problems).toMatch(NOT_VALID_JOBS[rel]);
    else expect(problems).toBe("");
  });
});

describe("a file that needs variables says which", () => {
  it("names the unset variables with their positions", () => {
    const r = parse("e2e/task_schedule__schedule.nomad.hcl");
    expect(formatDiagnostics(r.diagnostics)).toMatch(/^e2e\/task_schedule__schedule\.nomad\.hcl:4:1: Unset variable "start"/);
  });
});

/**
 * The HCL1 parser's corpus (jobspec/test-fixtures at 4972b7382d). Nomad's
 * jobspec/parse_test.go expects the files below to fail; they fail here
 * too, with a positioned diagnostic.
 */
const LEGACY_ERRORS: Record<string, string> = {
  "bad-artifact.hcl": ':12:9: Unsupported argument; An argument named "bad" is not expected here.',
  "basic_wrong_key.hcl": ':74:11: Unsupported argument; An argument named "nterval" is not expected here.',
  "multi-network.hcl": ':17:11: Unsupported argument; An argument named "reserved_ports" is not expected here.',
  "multi-resource.hcl": ":10:5: Duplicate ephemeral_disk block",
  "multi-vault.hcl": ":25:7: Duplicate vault block",
  "service-check-bad-header.hcl": ":25:29: Unsuitable value type; Unsuitable value: list of string required",
  "task-scaling-policy-invalid-resource.hcl": ':8:13: Invalid scaling policy name; scaling policy name must be "cpu" or "mem"',
  "task-scaling-policy-invalid-type.hcl": ":8:5: Invalid scaling policy type",
  "task-scaling-policy-missing-name.hcl": ":8:5: Missing name for scaling",
  "task-scaling-policy-multi-cpu.hcl": ':18:5: Duplicate scaling "cpu" block',
  "task-scaling-policy-multi-name.hcl": ":8:5: Missing name for scaling",
  "tg-scaling-policy-invalid-type.hcl": ':7:17: Invalid group scaling type; task group scaling policy had invalid type: "vertical_cpu"',
  "tg-scaling-policy-missing-max.hcl": ':6:5: Missing required argument; The argument "max" is required',
  "tg-scaling-policy-multi-policy.hcl": ":16:7: Duplicate policy block",
  "tg-scaling-policy-with-label.hcl": ":6:13: Extraneous label for scaling",
};

/** Legacy files that parse (Nomad's parse test only decodes them) but are fragments or break a Validate rule on purpose. */
const LEGACY_NOT_VALID: Record<string, RegExp> = {
  "basic.hcl": /ChangeMode: must be one of/,
  // docker tasks without a config block: Nomad's client decodes the missing config as an empty one when the
  // task starts, and the docker driver refuses it for want of "image".
  "artifacts.hcl": /the docker driver requires "image" in its config/,
  "csi-plugin.hcl": /the docker driver requires "image" in its config/,
  "resources-cores.hcl": /the docker driver requires "image" in its config/,
  "service-provider.hcl": /the docker driver requires "image" in its config/,
  "task-scaling-policy.hcl": /the docker driver requires "image" in its config/,
  "consul-namespace.hcl": /missing tasks for task group/,
  "default-job.hcl": /a job needs at least one task group/,
  "distinctHosts-constraint.hcl": /a job needs at least one task group/,
  "distinctProperty-constraint.hcl": /a job needs at least one task group/,
  "incorrect-service-def.hcl": /an http check must have a Path/,
  "migrate-job.hcl": /does not allow a migrate block/,
  "multiregion.hcl": /a job needs at least one task group/,
  "parameterized_job.hcl": /a parameterized job must be of type "batch" or "sysbatch"/,
  "parse-ports.hcl": /missing tasks for task group/,
  "periodic-cron.hcl": /a job needs at least one task group/,
  "periodic-crons.hcl": /a job needs at least one task group/,
  "regexp-constraint.hcl": /a job needs at least one task group/,
  "reschedule-job-unlimited.hcl": /Unlimited cannot also be set to true/,
  "service-check-bad-header-2.hcl": /missing task driver/,
  "service-check-driver-address.hcl": /missing task driver/,
  "service-check-initial-status.hcl": /missing task driver/,
  "service-check-pass-fail.hcl": /missing task driver/,
  "service-check-restart.hcl": /missing task driver/,
  "service-enable-tag-override.hcl": /missing task driver/,
  "service-meta.hcl": /missing task driver/,
  "service-tagged-address.hcl": /missing tasks for task group/,
  "set-contains-constraint.hcl": /a job needs at least one task group/,
  "specify-job.hcl": /a job needs at least one task group/,
  "tg-scaling-policy-minimal.hcl": /missing tasks for task group/,
  "tg-scaling-policy.hcl": /missing tasks for task group/,
  "tg-service-check-expose.hcl": /missing tasks for task group/,
  "tg-service-check.hcl": /missing task driver/,
  "tg-service-connect-local-service.hcl": /missing tasks for task group/,
  "tg-service-connect-native.hcl": /missing tasks for task group/,
  "tg-service-connect-proxy.hcl": /missing tasks for task group/,
  "tg-service-connect-resources.hcl": /missing tasks for task group/,
  "tg-service-connect-sidecar_disablecheck.hcl": /missing tasks for task group/,
  "tg-service-connect-sidecar_meta.hcl": /missing tasks for task group/,
  "tg-service-connect-sidecar_task-name.hcl": /missing tasks for task group/,
  "tg-service-enable-tag-override.hcl": /missing tasks for task group/,
  "tg-service-proxy-expose.hcl": /missing tasks for task group/,
  "vault_inheritance.hcl": /missing task driver/,
  "version-constraint.hcl": /a job needs at least one task group/,
};

describe("fixtures/hcl/legacy-jobspec-hcl1", () => {
  it.each(files("legacy-jobspec-hcl1"))("%s", (name) => {
    const rel = `legacy-jobspec-hcl1/${name}`;
    const r = parse(rel);
    const errors = formatDiagnostics(r.diagnostics.filter((d) => d.severity === "error"));
    if (LEGACY_ERRORS[name]) {
      expect(r.job).toBeUndefined();
      expect(errors).toContain(rel + LEGACY_ERRORS[name]);
      return;
    }
    expect(errors).toBe("");
    const v = validateJob(r.job);
    const problems = v.valid ? "" : v.problems.map((p) => `${p.path}: ${p.message}`).join("\n");
    if (LEGACY_NOT_VALID[name]) expect(problems).toMatch(LEGACY_NOT_VALID[name]);
    else expect(problems).toBe("");
  });
});
