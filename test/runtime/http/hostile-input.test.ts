/**
 * Hostile input against the HTTP API of the included runtime: bad encodings,
 * lone surrogates, huge counts and IDs, deep nesting, wrong types, wrong
 * methods, bad query parameters, foreign origins and hosts. Every answer is a
 * 4xx with a message, the agent answers a health probe sent every 100 ms
 * throughout (none waits over a second), and nothing changes in its state.
 */
import * as http from "node:http";
import { mockJob, startTestAgent, waitFor, type TestAgent } from "../../helpers/runtime";

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface Answer {
  status: number;
  text: string;
}

/** Sends one raw request (paths and bytes exactly as given). */
function send(port: number, c: Case): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = c.body === undefined ? undefined : typeof c.body === "string" ? Buffer.from(c.body, "utf8") : c.body;
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: c.method,
        path: c.path,
        headers: { ...(body ? { "Content-Length": String(body.length) } : {}), ...c.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const nest = (depth: number, leaf = "1") => "[".repeat(depth) + leaf + "]".repeat(depth);
const nestObj = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

/** A register body for `job`, as text. */
const register = (job: unknown) => JSON.stringify({ Job: job });
const job = (id = "hostile", patch: (j: Record<string, any>) => void = () => {}) => {
  const j = mockJob(id) as Record<string, any>;
  patch(j);
  return j;
};

function cases(allocID: string, nodeID: string): Case[] {
  const out: Case[] = [];
  const add = (name: string, method: string, path: string, body?: string | Buffer, headers?: Record<string, string>) =>
    out.push({ name, method, path, body, headers });

  // Bad percent-encodings in path parameters, on every kind of route that takes one.
  const badEscapes = ["%E0%A4%A", "%", "%zz", "%E0%A4", "%ED%A0%80", "%C0%AF", "%FF", "abc%", "%%41", "%e2%82", "%F4%90%80%80", "x%0"];
  const routes = [
    "/v1/job/",
    "/v1/job/web/allocations?x=",
    "/v1/allocation/",
    "/v1/evaluation/",
    "/v1/node/",
    "/v1/deployment/",
    "/v1/client/fs/cat/",
    "/v1/client/allocation/",
  ];
  for (const r of routes) {
    for (const e of badEscapes) {
      if (r.includes("?")) add(`escape ${e} inside a job ID`, "GET", `/v1/job/web${e}/allocations`);
      else if (r === "/v1/client/allocation/") add(`path escape ${e} ${r}`, "GET", `${r}${e}/stats`);
      else add(`path escape ${e} ${r}`, "GET", `${r}${e}`);
    }
  }
  for (const e of badEscapes.slice(0, 6)) {
    add(`write with escape ${e}`, "PUT", `/v1/job/${e}`, register(job()));
    add(`delete with escape ${e}`, "DELETE", `/v1/job/${e}`);
  }

  // Body encodings.
  add("latin-1 body", "PUT", "/v1/jobs", Buffer.from([0x7b, 0x22, 0x4a, 0x6f, 0x62, 0x22, 0x3a, 0xe9, 0x7d]));
  add(
    "truncated UTF-8 in a string",
    "PUT",
    "/v1/jobs",
    Buffer.concat([Buffer.from('{"Job":{"ID":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}}')]),
  );
  add("overlong UTF-8", "PUT", "/v1/jobs", Buffer.concat([Buffer.from('{"Job":{"ID":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}}')]));
  add(
    "UTF-8 surrogate bytes",
    "PUT",
    "/v1/jobs",
    Buffer.concat([Buffer.from('{"Job":{"ID":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}}')]),
  );
  add("UTF-16 body", "PUT", "/v1/jobs", Buffer.from(register(job()), "utf16le"));
  add("NUL bytes body", "PUT", "/v1/jobs", Buffer.alloc(64));

  // Lone surrogates, everywhere a string goes.
  const surrogates = ["\\ud800", "\\udfff", "x\\udc00y", "\\ud83d", "\\ude00\\ud83d"];
  for (const s of surrogates) {
    add(`surrogate in job ID ${s}`, "PUT", "/v1/jobs", `{"Job":${JSON.stringify(job()).replace('"ID":"hostile"', `"ID":"h${s}"`)}}`);
    add(`surrogate in job name ${s}`, "PUT", "/v1/jobs", `{"Job":${JSON.stringify(job()).replace('"Name":"hostile"', `"Name":"h${s}"`)}}`);
    add(`surrogate in group name ${s}`, "PUT", "/v1/jobs", `{"Job":${JSON.stringify(job()).replace('"Name":"web"', `"Name":"w${s}"`)}}`);
    add(
      `surrogate in a meta key ${s}`,
      "PUT",
      "/v1/jobs",
      `{"Job":${JSON.stringify(job("hostile", (j) => (j.Meta = { k: "v" }))).replace('"k"', `"k${s}"`)}}`,
    );
    add(
      `surrogate in a driver config value ${s}`,
      "PUT",
      "/v1/jobs",
      `{"Job":${JSON.stringify(job("hostile", (j) => (j.TaskGroups[0].Tasks[0].Config = { note: "x" }))).replace('"note":"x"', `"note":"${s}"`)}}`,
    );
    add(
      `surrogate in a plan ${s}`,
      "PUT",
      "/v1/job/hostile/plan",
      `{"Job":${JSON.stringify(job()).replace('"Name":"hostile"', `"Name":"${s}"`)}}`,
    );
    add(`surrogate in a scale message ${s}`, "PUT", "/v1/job/web/scale", `{"Count":2,"Target":{"Group":"web"},"Message":"${s}"}`);
    add(`surrogate in node eligibility ${s}`, "PUT", `/v1/node/${nodeID}/eligibility`, `{"Eligibility":"eligible${s}"}`);
  }

  // Huge counts.
  for (const count of [1_000_000_000, 1_000_000, 10_001, 50_000, 1e15, Number.MAX_SAFE_INTEGER, 1e300]) {
    add(`group count ${count}`, "PUT", "/v1/jobs", register(job("hostile", (j) => (j.TaskGroups[0].Count = count))));
    add(`group count ${count} at /v1/job/:id`, "PUT", "/v1/job/hostile", register(job("hostile", (j) => (j.TaskGroups[0].Count = count))));
    add(`plan with group count ${count}`, "PUT", "/v1/job/hostile/plan", register(job("hostile", (j) => (j.TaskGroups[0].Count = count))));
    add(`scale to ${count}`, "PUT", "/v1/job/web/scale", JSON.stringify({ Count: count, Target: { Group: "web" } }));
  }
  add(
    "count 1e9 in the second group",
    "PUT",
    "/v1/jobs",
    register(job("hostile", (j) => j.TaskGroups.push({ ...j.TaskGroups[0], Name: "second", Count: 1e9 }))),
  );

  // Huge IDs and names.
  for (const n of [257, 1000, 100_000, 1_000_000]) {
    const long = "j".repeat(n);
    add(`job ID of ${n} characters`, "PUT", "/v1/jobs", register(job(long)));
    add(`job name of ${n} characters`, "PUT", "/v1/jobs", register(job("hostile", (j) => (j.Name = long))));
    add(`group name of ${n} characters`, "PUT", "/v1/jobs", register(job("hostile", (j) => (j.TaskGroups[0].Name = long))));
    add(`task name of ${n} characters`, "PUT", "/v1/jobs", register(job("hostile", (j) => (j.TaskGroups[0].Tasks[0].Name = long))));
    add(`meta key of ${n} characters`, "PUT", "/v1/jobs", register(job("hostile", (j) => (j.Meta = { [long]: "v" }))));
    add(`group meta key of ${n} characters`, "PUT", "/v1/jobs", register(job("hostile", (j) => (j.TaskGroups[0].Meta = { [long]: "v" }))));
  }
  for (const ns of ["has space", "ünïcode", "a/b", "x".repeat(129), "dot.ted", "under_score"])
    add(`namespace ${JSON.stringify(ns.slice(0, 20))}`, "PUT", "/v1/jobs", register(job("hostile", (j) => (j.Namespace = ns))));
  add("11 MiB body", "PUT", "/v1/jobs", Buffer.alloc(11 * 1024 * 1024, 0x20));

  // Deep nesting, in every body that is read.
  for (const depth of [65, 100, 1000, 100_000]) {
    add(`array nested ${depth} deep as the body`, "PUT", "/v1/jobs", nest(depth));
    add(`object nested ${depth} deep as the body`, "PUT", "/v1/jobs", nestObj(depth));
    add(
      `driver config nested ${depth} deep`,
      "PUT",
      "/v1/jobs",
      `{"Job":${JSON.stringify(job()).replace('"Config":{', `"Config":{"deep":${nest(depth)},`)}}`,
    );
    add(`plan nested ${depth} deep`, "PUT", "/v1/job/web/plan", `{"Job":${nest(depth)}}`);
    add(`validate nested ${depth} deep`, "PUT", "/v1/validate/job", `{"Job":${nestObj(depth)}}`);
    add(`parse nested ${depth} deep`, "PUT", "/v1/jobs/parse", `{"JobHCL":${nest(depth, '"x"')}}`);
    add(
      `parse of JSON nested ${depth} deep inside JobHCL`,
      "PUT",
      "/v1/jobs/parse",
      JSON.stringify({ JobHCL: `{"Job":{"ID":${nest(depth)}}}`, Canonicalize: true }),
    );
    add(`parse of HCL nested ${depth} deep`, "PUT", "/v1/jobs/parse", JSON.stringify({ JobHCL: `job "x" { meta = ${nest(depth)} }` }));
    add(`scale nested ${depth} deep`, "PUT", "/v1/job/web/scale", `{"Count":1,"Target":{"Group":"web"},"Meta":${nestObj(depth)}}`);
    add(`node eligibility nested ${depth} deep`, "PUT", `/v1/node/${nodeID}/eligibility`, `{"Eligibility":${nest(depth)}}`);
    add(`job stable nested ${depth} deep`, "PUT", "/v1/job/web/stable", `{"JobVersion":0,"Stable":${nestObj(depth)}}`);
    add(`evaluate nested ${depth} deep`, "PUT", "/v1/job/web/evaluate", `{"EvalOptions":${nestObj(depth)}}`);
  }

  // Wrong types and malformed JSON.
  const bodies: [string, string][] = [
    ["Job a string", '{"Job":"x"}'],
    ["Job an array", '{"Job":[1]}'],
    ["Job a number", '{"Job":5}'],
    ["Job null", '{"Job":null}'],
    ["body an array", "[1,2]"],
    ["body a string", '"job"'],
    ["body a number", "42"],
    ["body true", "true"],
    ["ID a number", register({ ...job(), ID: 5 })],
    ["ID an object", register({ ...job(), ID: { a: 1 } })],
    ["TaskGroups an object", register({ ...job(), TaskGroups: { a: 1 } })],
    ["Count a string", register(job("hostile", (j) => (j.TaskGroups[0].Count = "3")))],
    ["Count an object", register(job("hostile", (j) => (j.TaskGroups[0].Count = { n: 3 })))],
    ["Datacenters a string", register({ ...job(), Datacenters: "dc1" })],
    ["Meta an array", register({ ...job(), Meta: ["a"] })],
    ["Priority a string", register({ ...job(), Priority: "high" })],
    ["EnforceIndex a string", JSON.stringify({ Job: job(), EnforceIndex: "yes" })],
    ["JobModifyIndex negative", JSON.stringify({ Job: job(), JobModifyIndex: -1 })],
    ["JobModifyIndex a float", JSON.stringify({ Job: job(), JobModifyIndex: 1.5 })],
    ["EvalPriority 1000", JSON.stringify({ Job: job(), EvalPriority: 1000 })],
    ["truncated JSON", '{"Job":{"ID":"x",'],
    ["trailing comma", '{"Job":{"ID":"x",},}'],
    ["single quotes", "{'Job':{}}"],
    ["NaN", '{"Job":NaN}'],
    ["comment", '{"Job":{} /* x */}'],
    ["two documents", "{}{}"],
    ["bare word", "job"],
    ["empty object", "{}"],
    ["missing ID", register({ Name: "x" })],
  ];
  for (const [name, body] of bodies) add(`register: ${name}`, "PUT", "/v1/jobs", body);
  add("scale: Count a string", "PUT", "/v1/job/web/scale", '{"Count":"2","Target":{"Group":"web"}}');
  add("scale: Count negative", "PUT", "/v1/job/web/scale", '{"Count":-1,"Target":{"Group":"web"}}');
  add("scale: Count a float", "PUT", "/v1/job/web/scale", '{"Count":1.5,"Target":{"Group":"web"}}');
  add("scale: no group", "PUT", "/v1/job/web/scale", '{"Count":1}');
  add("eligibility: bad value", "PUT", `/v1/node/${nodeID}/eligibility`, '{"Eligibility":"maybe"}');
  add("eligibility: an array body", "PUT", `/v1/node/${nodeID}/eligibility`, "[1]");
  add("drain: a string body", "PUT", `/v1/node/${nodeID}/drain`, '"drain"');
  add("revert: wrong job", "PUT", "/v1/job/web/revert", '{"JobID":"other","JobVersion":0}');
  add("evaluate: wrong job", "PUT", "/v1/job/web/evaluate", '{"JobID":"other"}');
  add("dispatch a non-parameterized job", "PUT", "/v1/job/web/dispatch", '{"Payload":"!!"}');

  // Wrong methods.
  for (const [method, path] of [
    ["PATCH", "/v1/jobs"],
    ["DELETE", "/v1/jobs"],
    ["PATCH", "/v1/job/web"],
    ["GET", "/v1/jobs/parse"],
    ["GET", "/v1/validate/job"],
    ["PUT", "/v1/status/leader"],
    ["DELETE", "/v1/status/peers"],
    ["POST", "/v1/agent/self"],
    ["DELETE", "/v1/evaluations"],
    ["PUT", "/v1/allocations"],
    ["DELETE", `/v1/node/${nodeID}`],
    ["PUT", "/v1/job/web/summary"],
    ["PROPFIND", "/v1/jobs"],
    ["OPTIONS", "/v1/jobs"],
    ["GET", "/v1/job/web/dispatch"],
    ["GET", "/v1/system/gc"],
    ["DELETE", "/v1/deployments"],
    ["PATCH", `/v1/client/fs/cat/${allocID}`],
  ] as const)
    add(`${method} ${path}`, method, path, method === "GET" || method === "DELETE" || method === "OPTIONS" ? undefined : "{}");

  // Bad query parameters.
  for (const q of [
    "index=abc",
    "index=-1",
    "index=1.5",
    "index=1e3",
    "wait=5x",
    "wait=-1s",
    "wait=1y",
    "per_page=abc",
    "per_page=-1",
    "index=99999999999999999999999x",
  ])
    add(`/v1/jobs?${q}`, "GET", `/v1/jobs?${q}`);
  for (const q of ["offset=abc", "offset=-1", "offset=1e3", "origin=middle", "follow=perhaps", "plain=sometimes"])
    add(`logs ?${q}`, "GET", `/v1/client/fs/logs/${allocID}?task=main&type=stdout&${q}`);
  for (const p of ["../../../etc/passwd", "/../../etc/passwd", "alloc/../../..", "..", "alloc/%2e%2e/%2e%2e/x"])
    add(`fs cat ${p}`, "GET", `/v1/client/fs/cat/${allocID}?path=${encodeURIComponent(p)}`);
  add("fs cat without path", "GET", `/v1/client/fs/cat/${allocID}`);
  add("logs without a task", "GET", `/v1/client/fs/logs/${allocID}?type=stdout`);
  add("logs with a bad type", "GET", `/v1/client/fs/logs/${allocID}?task=main&type=stdin`);
  add("logs of a task name with a slash", "GET", `/v1/client/fs/logs/${allocID}?task=${encodeURIComponent("../x")}&type=stdout`);

  // Browsers: foreign origins, DNS rebinding, preflights.
  for (const origin of [
    "http://evil.example",
    "null",
    "http://127.0.0.1:1",
    "https://localhost",
    "file://",
    "http://localhost.evil.example",
  ]) {
    add(`Origin ${origin}, text/plain register`, "POST", "/v1/jobs", register(job()), { Origin: origin, "Content-Type": "text/plain" });
    add(`Origin ${origin}, read`, "GET", "/v1/jobs", undefined, { Origin: origin });
  }
  for (const host of ["evil.example", "evil.example:4646", "127.0.0.1.nip.io", "localhost.evil", "[::2]", "a b"])
    add(`Host ${host}`, "PUT", "/v1/jobs", register(job()), { Host: host });
  add("CORS preflight", "OPTIONS", "/v1/jobs", undefined, { Origin: "http://evil.example", "Access-Control-Request-Method": "PUT" });
  add("CORS preflight from no origin", "OPTIONS", "/v1/jobs", undefined, { "Access-Control-Request-Method": "PUT" });
  return out;
}

describe("hostile input against the HTTP API", () => {
  let t: TestAgent;
  let port = 0;
  let allocID = "";
  let nodeID = "";
  beforeAll(async () => {
    t = await startTestAgent({ client: false, simNodes: 2 });
    port = t.agent.port;
    const reg = await fetch(`${t.address}/v1/jobs`, {
      method: "PUT",
      body: JSON.stringify({ Job: mockJob("web", { count: 2, runFor: "1h" }) }),
    });
    expect(reg.status).toBe(200);
    const allocs = await waitFor("both allocations running", async () => {
      const list = (await (await fetch(`${t.address}/v1/job/web/allocations`)).json()) as {
        ID: string;
        NodeID: string;
        ClientStatus: string;
      }[];
      return list.length === 2 && list.every((a) => a.ClientStatus === "running") ? list : null;
    });
    allocID = allocs[0].ID;
    nodeID = allocs[0].NodeID;
    // Settled: the deployment done, so that nothing writes on its own while the cases run.
    await waitFor(
      "the deployment to succeed",
      async () =>
        ((await (await fetch(`${t.address}/v1/job/web/deployment`)).json()) as { Status?: string } | null)?.Status === "successful",
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** The job, evaluation, allocation and deployment lists and their indexes. */
  async function snapshot(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const p of ["/v1/jobs", "/v1/evaluations", "/v1/allocations", "/v1/deployments", "/v1/nodes"]) {
      const r = await fetch(t.address + p);
      const list = (await r.json()) as Record<string, unknown>[];
      // Times and client-side fields move on their own; what is compared is what a write would change.
      out[p] = {
        index: r.headers.get("x-nomad-index"),
        items: list.map((x) => ({
          ID: x.ID,
          ModifyIndex: x.ModifyIndex,
          Status: x.Status,
          DesiredStatus: x.DesiredStatus,
          Version: x.Version,
          JobVersion: x.JobVersion,
          SchedulingEligibility: x.SchedulingEligibility,
        })),
      };
    }
    return out;
  }

  it("answers each of at least 200 hostile requests with a 4xx and a message, stays responsive and changes nothing", async () => {
    const all = cases(allocID, nodeID);
    expect(all.length).toBeGreaterThanOrEqual(200);
    const before = await snapshot();

    // The health probe: every 100 ms, each answer awaited at most 1 s.
    let probing = true;
    let probes = 0;
    const slow: string[] = [];
    const prober = (async () => {
      for (let i = 0; probing && i < 6000; i++) {
        const started = Date.now();
        try {
          const r = await fetch(`${t.address}/v1/agent/health`, { signal: AbortSignal.timeout(1000) });
          await r.text();
          if (r.status !== 200) slow.push(`probe ${i}: status ${r.status}`);
        } catch (err) {
          slow.push(`probe ${i}: ${(err as Error).name} after ${Date.now() - started} ms`);
        }
        probes++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const wrong: string[] = [];
    for (const c of all) {
      const a = await send(port, c);
      if (a.status < 400 || a.status >= 500 || a.text.trim() === "")
        wrong.push(`${c.name} (${c.method} ${c.path.slice(0, 80)}): ${a.status} ${JSON.stringify(a.text.slice(0, 200))}`);
    }
    probing = false;
    await prober;

    expect(wrong).toEqual([]);
    expect(slow).toEqual([]);
    expect(probes).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
  }, 120_000);
});
