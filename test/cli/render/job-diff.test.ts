/** `renderJobDiff` lays a job diff out as Nomad's CLI does (`formatJobDiff`, command/job_plan.go), without colours. */
import type { JobDiff } from "../../../lib/api";
import { renderJobDiff } from "../../../lib/cli/render/job-diff";

const field = (Type: "Added" | "Deleted" | "Edited" | "None", Name: string, Old: string, New: string) => ({
  Type,
  Name,
  Old,
  New,
  Annotations: null,
});

describe("renderJobDiff", () => {
  const diff: JobDiff = {
    Type: "Edited",
    ID: "web",
    Fields: [field("Edited", "Priority", "50", "60")],
    Objects: null,
    TaskGroups: [
      {
        Type: "Edited",
        Name: "web",
        Updates: { "create/destroy update": 1 },
        Fields: [field("Edited", "Count", "1", "3")],
        Objects: [
          {
            Type: "Added",
            Name: "Update",
            Fields: [field("Added", "MaxParallel", "", "2"), field("Added", "Canary", "", "1")],
            Objects: null,
          },
        ],
        Tasks: [
          {
            Type: "Edited",
            Name: "main",
            Annotations: ["forces create/destroy update"],
            Fields: [field("Edited", "Driver", "docker", "exec")],
            Objects: null,
          },
          { Type: "Added", Name: "sidecar", Annotations: ["forces create"], Fields: [field("Added", "Driver", "", "exec")], Objects: null },
        ],
      },
      { Type: "None", Name: "db", Updates: null, Fields: null, Objects: null, Tasks: null },
    ],
  };

  it("aligns markers, names and values per block; objects in braces; added tasks collapsed", () => {
    expect(renderJobDiff(diff)).toBe(
      [
        '+/- Job: "web"',
        '+/- Priority: "50" => "60"',
        '+/- Task Group: "web" (1 create/destroy update)',
        '  +/- Count: "1" => "3"',
        "  +   Update {",
        '      + MaxParallel: "2"',
        '      + Canary:      "1"',
        "      }",
        '  +/- Task: "main" (forces create/destroy update)',
        '    +/- Driver: "docker" => "exec"',
        '  +   Task: "sidecar" (forces create)',
        "",
        '    Task Group: "db"',
        "",
        "",
      ].join("\n"),
    );
  });

  it("shows the fields of added tasks with verbose", () => {
    expect(renderJobDiff(diff, true)).toContain('  +   Task: "sidecar" (forces create)\n    + Driver: "exec"\n');
  });
});
