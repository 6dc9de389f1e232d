/**
 * `/v1/agent/join`, `/force-leave`, `/monitor`, `/host` and `/health?type=`
 * against a real agent: the answers of a single Nomad server, its errors,
 * and the log lines of the agent streamed as text and as Nomad's frames.
 */
import { api, startTestAgent, type TestAgent } from "../../helpers/runtime";

/** Reads a streaming response until `until` holds for the text read (at most `max` chunks), then cancels it. */
async function readUntil(res: Response, until: (text: string) => boolean, max = 200): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    for (let i = 0; i < max && !until(text); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } finally {
    await reader.cancel();
  }
  return text;
}

describe("agent endpoints of a single server", () => {
  let t: TestAgent;
  let plainAgent: TestAgent;
  beforeAll(async () => {
    t = await startTestAgent({ simNodes: 1, client: false, enableDebug: true });
    plainAgent = await startTestAgent({ client: false });
  });
  afterAll(async () => {
    await t?.stop();
    await plainAgent?.stop();
  });

  it("join: its own gossip address joins one; another agent cannot be joined; no address is a 400", async () => {
    const own = await api(t.address, "PUT", "/v1/agent/join?address=127.0.0.1:4648");
    expect(own.body).toEqual({ num_joined: 1, error: "", warning: "" });
    const other = await api(t.address, "PUT", "/v1/agent/join?address=10.0.0.9:4648&address=10.0.0.10");
    expect(other.status).toBe(200);
    expect(other.body.num_joined).toBe(0);
    expect(other.body.error).toBe(
      "2 errors occurred:\n\t* Failed to join 10.0.0.9:4648: drover agents do not gossip: joining another agent is not implemented\n" +
        "\t* Failed to join 10.0.0.10: drover agents do not gossip: joining another agent is not implemented\n\n",
    );
    expect(await api(t.address, "PUT", "/v1/agent/join")).toMatchObject({ status: 400, text: "missing address to join" });
  });

  it("force-leave: answers as a single server (nothing to remove), with Nomad's errors for bad input", async () => {
    const ok = await api(t.address, "PUT", "/v1/agent/force-leave?node=some-client.global");
    expect(ok).toMatchObject({ status: 200, text: "" });
    expect(await api(t.address, "PUT", "/v1/agent/force-leave")).toMatchObject({ status: 400, text: "missing node to force leave" });
    expect(await api(t.address, "PUT", "/v1/agent/force-leave?node=x&prune=maybe")).toMatchObject({
      status: 400,
      text: "invalid prune value",
    });
  });

  it("health: type=client fails on an agent without a client, as Nomad's does", async () => {
    expect((await api(t.address, "GET", "/v1/agent/health?type=server")).body).toEqual({ server: { ok: true, message: "ok" } });
    const r = await api(t.address, "GET", "/v1/agent/health?type=client");
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text)).toEqual({ client: { ok: false, message: "client not enabled" } });
  });

  it("host: the machine's data with enable_debug; refused without it when ACLs are off", async () => {
    const r = await api(t.address, "GET", "/v1/agent/host");
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(["Disk", "Environment", "Hosts", "Network", "OS", "ResolvConf"]);
    expect(r.body.OS).toContain(require("node:os").hostname());
    const node = (await api(t.address, "GET", "/v1/nodes")).body[0].ID;
    const forNode = await api(t.address, "GET", `/v1/agent/host?node_id=${node}`);
    expect(forNode.body.AgentID).toBe(node);
    expect(forNode.body.HostData.OS).toBe(r.body.OS);
    expect(await api(t.address, "GET", "/v1/agent/host?node_id=nope")).toMatchObject({ status: 404, text: 'Unknown node "nope"' });
    expect(await api(t.address, "GET", `/v1/agent/host?node_id=${node}&server_id=leader`)).toMatchObject({
      status: 400,
      text: "Can only forward to either client node or server",
    });
    expect(await api(plainAgent.address, "GET", "/v1/agent/host")).toMatchObject({ status: 403, text: "Permission denied" });
  });

  it("host: secrets in the environment are redacted", () => {
    const { redactedEnvironment } = require("../../../lib/runtime/http/host-data");
    expect(redactedEnvironment({ NOMAD_TOKEN: "a", MY_SECRET_KEY: "b", AWS_ACCESS_KEY_ID: "c", HOME: "/root" })).toEqual({
      NOMAD_TOKEN: "<redacted>",
      MY_SECRET_KEY: "<redacted>",
      AWS_ACCESS_KEY_ID: "<redacted>",
      HOME: "/root",
    });
  });

  it("monitor: streams the agent's log lines at the level asked, as text", async () => {
    const res = await fetch(`${t.address}/v1/agent/monitor?log_level=debug&plain=true`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain");
    // Each request is logged at DEBUG once it completes.
    await api(t.address, "GET", "/v1/jobs?marker=1");
    const text = await readUntil(res, (s) => s.includes("path=/v1/jobs"));
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[DEBUG\] http: request complete: method=GET path=\/v1\/jobs status=200 duration=/m);
  });

  it("monitor: frames as Nomad's StreamFrame (base64 Data, FileEvent log), lines as JSON with log_json", async () => {
    const res = await fetch(`${t.address}/v1/agent/monitor?log_level=DEBUG&log_json=true`);
    expect(res.headers.get("content-type")).toBe("application/json");
    await api(t.address, "GET", "/v1/status/leader");
    const text = await readUntil(res, (s) => s.includes('"FileEvent":"log"'));
    const frame = JSON.parse(text.slice(text.indexOf('{"Data"'), text.indexOf("}", text.indexOf('{"Data"')) + 1));
    expect(frame.FileEvent).toBe("log");
    const line = JSON.parse(Buffer.from(frame.Data, "base64").toString("utf8").split("\n")[0]);
    expect(line).toMatchObject({ "@level": "debug", "@message": expect.stringContaining("http: request complete") });
  });

  it("monitor: an INFO stream does not get DEBUG lines; bad parameters are 400s", async () => {
    const res = await fetch(`${t.address}/v1/agent/monitor?plain=true`);
    await api(t.address, "GET", "/v1/jobs");
    // An INFO line after the request: the force-leave logs one.
    await api(t.address, "PUT", "/v1/agent/force-leave?node=marker-node");
    const text = await readUntil(res, (s) => s.includes("marker-node"));
    expect(text).toContain("[INFO]  agent: force-leave");
    expect(text).not.toContain("[DEBUG]");
    expect(await api(t.address, "GET", "/v1/agent/monitor?log_level=loud")).toMatchObject({ status: 400, text: "Unknown log level: loud" });
    expect((await api(t.address, "GET", "/v1/agent/monitor?plain=yes")).text).toMatch(/^Unknown option for plain: /);
    expect(await api(t.address, "GET", "/v1/agent/monitor?node_id=a&server_id=b")).toMatchObject({
      status: 400,
      text: "Cannot target node and server simultaneously",
    });
  });
});
