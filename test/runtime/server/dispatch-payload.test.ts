/**
 * A dispatched raw_exec task sees what the dispatch gave it: the payload in
 * its `dispatch_payload` file and the meta as NOMAD_META_* variables. Read
 * back through the client fs API, as `nomad alloc fs` reads it.
 */
import { api, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

const jobPath = (id: string, suffix = "") => `/v1/job/${encodeURIComponent(id)}${suffix}`;

describe("dispatch payload and meta reach the task", () => {
  let t: TestAgent;

  beforeAll(async () => {
    t = await startTestAgent({ plugins: { raw_exec: { enabled: true } } });
  });

  afterAll(async () => {
    await t.stop();
  });

  it("writes the payload to local/<file> and exposes the meta to a raw_exec task", async () => {
    const job = {
      ID: "ingest",
      Type: "batch",
      Datacenters: ["dc1"],
      ParameterizedJob: { Payload: "required", MetaRequired: ["date"] },
      TaskGroups: [
        {
          Name: "g",
          RestartPolicy: { Attempts: 0, Interval: 60e9, Delay: 1e9, Mode: "fail" },
          ReschedulePolicy: { Attempts: 0, Unlimited: false },
          Tasks: [
            {
              Name: "main",
              Driver: "raw_exec",
              Config: {
                command: "/bin/sh",
                args: [
                  "-c",
                  'wc -c < "$NOMAD_TASK_DIR/input.csv" > "$NOMAD_TASK_DIR/out.txt"; echo "$NOMAD_META_date" >> "$NOMAD_TASK_DIR/out.txt"',
                ],
              },
              DispatchPayload: { File: "input.csv" },
              Resources: { CPU: 20, MemoryMB: 32 },
            },
          ],
        },
      ],
    };
    expect((await api(t.address, "PUT", "/v1/jobs", { Job: job })).status).toBe(200);
    const payload = "id,value\n1,42\n";
    const d = await api(t.address, "PUT", jobPath("ingest", "/dispatch"), {
      Meta: { date: "2026-03-28" },
      Payload: Buffer.from(payload).toString("base64"),
    });
    expect(d.status).toBe(200);
    const childID: string = d.body.DispatchedJobID;
    const alloc = await waitFor("the child's allocation to complete", async () => {
      const allocs = (await api(t.address, "GET", jobPath(childID, "/allocations"))).body;
      return allocs.length === 1 && allocs[0].ClientStatus === "complete" ? allocs[0] : null;
    });
    const input = await api(t.address, "GET", `/v1/client/fs/cat/${alloc.ID}?path=main/local/input.csv`);
    expect(input.status).toBe(200);
    expect(input.text).toBe(payload);
    const out = await api(t.address, "GET", `/v1/client/fs/cat/${alloc.ID}?path=main/local/out.txt`);
    expect(out.text.split("\n").map((l) => l.trim())).toEqual([String(Buffer.byteLength(payload)), "2026-03-28", ""]);
  });
});
