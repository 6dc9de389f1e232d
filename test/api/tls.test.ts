/**
 * TLS against a real HTTPS listener: a CA and a server certificate made with
 * openssl at test time. Skipped when openssl is not installed.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { NomadClient, NomadConnectionError } from "../../lib/api";

function hasOpenSSL(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const maybe = hasOpenSSL() ? describe : describe.skip;

maybe("TLS (NOMAD_CACERT, NOMAD_TLS_SERVER_NAME, NOMAD_SKIP_VERIFY)", () => {
  let dir: string;
  let server: https.Server;
  let address: string;
  const seenTokens: (string | undefined)[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-tls-"));
    const f = (n: string) => path.join(dir, n);
    const run = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
    run(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=drover test CA",
      "-keyout",
      f("ca-key.pem"),
      "-out",
      f("ca.pem"),
    );
    run(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=server.global.nomad",
      "-keyout",
      f("server-key.pem"),
      "-out",
      f("server.csr"),
    );
    fs.writeFileSync(f("ext.cnf"), "subjectAltName=DNS:server.global.nomad\n");
    run(
      "x509",
      "-req",
      "-in",
      f("server.csr"),
      "-CA",
      f("ca.pem"),
      "-CAkey",
      f("ca-key.pem"),
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      f("ext.cnf"),
      "-out",
      f("server.pem"),
    );
    server = https.createServer({ key: fs.readFileSync(f("server-key.pem")), cert: fs.readFileSync(f("server.pem")) }, (req, res) => {
      seenTokens.push(req.headers["x-nomad-token"] as string | undefined);
      res.writeHead(200, { "content-type": "application/json", "X-Nomad-Index": "1" });
      res.end(JSON.stringify(["global"]));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    address = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("trusts the agent with NOMAD_CACERT and the certificate's name from NOMAD_TLS_SERVER_NAME", async () => {
    const c = NomadClient.fromEnv({
      NOMAD_ADDR: address,
      NOMAD_CACERT: path.join(dir, "ca.pem"),
      NOMAD_TLS_SERVER_NAME: "server.global.nomad",
      NOMAD_TOKEN: "t",
    });
    expect((await c.status.regions()).data).toEqual(["global"]);
    await c.close();
    expect(seenTokens).toContain("t");
  });

  it("refuses an agent whose certificate it cannot verify, and says what to check", async () => {
    const c = new NomadClient({ address, retry: { maxAttempts: 1 } });
    const err = (await c.status.regions().catch((e: unknown) => e)) as NomadConnectionError;
    await c.close();
    expect(err).toBeInstanceOf(NomadConnectionError);
    expect(err.message).toContain("NOMAD_CACERT");
  });

  it("connects without verification when NOMAD_SKIP_VERIFY is set", async () => {
    const c = NomadClient.fromEnv({ NOMAD_ADDR: address, NOMAD_SKIP_VERIFY: "true" });
    expect((await c.status.regions()).data).toEqual(["global"]);
    await c.close();
  });
});
