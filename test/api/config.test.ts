import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_NOMAD_ADDRESS, NomadClient, resolveConfig, tlsConnectOptions } from "../../lib/api";

describe("NomadClient configuration", () => {
  it("defaults to http://127.0.0.1:4646 with no token, region or namespace", () => {
    const c = NomadClient.fromEnv({});
    expect(c.address).toBe(DEFAULT_NOMAD_ADDRESS);
    expect(c.config.token).toBeUndefined();
    expect(c.config.region).toBeUndefined();
    expect(c.config.namespace).toBeUndefined();
    void c.close();
  });

  it("reads NOMAD_* variables like Nomad's CLI", () => {
    const c = NomadClient.fromEnv({
      NOMAD_ADDR: "https://nomad.example:4646",
      NOMAD_TOKEN: "secret",
      NOMAD_REGION: "eu",
      NOMAD_NAMESPACE: "apps",
      NOMAD_TLS_SERVER_NAME: "server.global.nomad",
      NOMAD_SKIP_VERIFY: "true",
    });
    expect(c.config).toMatchObject({
      address: "https://nomad.example:4646",
      origin: "https://nomad.example:4646",
      token: "secret",
      region: "eu",
      namespace: "apps",
      tls: { serverName: "server.global.nomad", insecure: true },
    });
    void c.close();
  });

  it("lets explicit options override the environment, field by field", () => {
    const c = NomadClient.fromEnv(
      { NOMAD_ADDR: "http://a:4646", NOMAD_TOKEN: "env-token", NOMAD_NAMESPACE: "apps" },
      { address: "http://b:4646", namespace: undefined },
    );
    expect(c.address).toBe("http://b:4646");
    expect(c.config.token).toBe("env-token");
    expect(c.config.namespace).toBe("apps");
    void c.close();
  });

  it("ignores empty variables", () => {
    const c = NomadClient.fromEnv({ NOMAD_ADDR: "", NOMAD_TOKEN: "" });
    expect(c.address).toBe(DEFAULT_NOMAD_ADDRESS);
    expect(c.config.token).toBeUndefined();
    void c.close();
  });

  it("accepts unix sockets and bare host:port addresses", () => {
    expect(resolveConfig({ address: "unix:///var/run/nomad.sock" })).toMatchObject({
      socketPath: "/var/run/nomad.sock",
      origin: "http://localhost",
    });
    expect(resolveConfig({ address: "10.0.0.1:4646" }).origin).toBe("http://10.0.0.1:4646");
  });

  it("rejects an unusable address with a message naming it", () => {
    expect(() => resolveConfig({ address: "ftp://x" })).toThrow(/invalid Nomad address "ftp:\/\/x".*unsupported scheme/);
    expect(() => resolveConfig({ address: "unix://" })).toThrow(/needs a path/);
  });

  describe("TLS options mapping", () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-tls-"));
      fs.writeFileSync(path.join(dir, "ca.pem"), "CA-PEM");
      fs.mkdirSync(path.join(dir, "cas"));
      fs.writeFileSync(path.join(dir, "cas", "a.pem"), "CA-A");
      fs.writeFileSync(path.join(dir, "cas", "b.pem"), "CA-B");
      fs.writeFileSync(path.join(dir, "cli.pem"), "CERT");
      fs.writeFileSync(path.join(dir, "cli-key.pem"), "KEY");
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads NOMAD_CACERT, every file of NOMAD_CAPATH, the client pair, server name and skip-verify", () => {
      const env = {
        NOMAD_CACERT: path.join(dir, "ca.pem"),
        NOMAD_CAPATH: path.join(dir, "cas"),
        NOMAD_CLIENT_CERT: path.join(dir, "cli.pem"),
        NOMAD_CLIENT_KEY: path.join(dir, "cli-key.pem"),
        NOMAD_TLS_SERVER_NAME: "server.global.nomad",
        NOMAD_SKIP_VERIFY: "1",
      };
      const c = NomadClient.fromEnv(env);
      expect(tlsConnectOptions(c.config.tls)).toEqual({
        ca: ["CA-PEM", "CA-A", "CA-B"],
        cert: "CERT",
        key: "KEY",
        servername: "server.global.nomad",
        rejectUnauthorized: false,
      });
      void c.close();
    });

    it("verifies certificates unless told otherwise", () => {
      expect(tlsConnectOptions({}).rejectUnauthorized).toBe(true);
      expect(NomadClient.fromEnv({ NOMAD_SKIP_VERIFY: "false" }).config.tls.insecure).toBe(false);
    });

    it("names a missing file and a half client pair", () => {
      expect(() => tlsConnectOptions({ caCert: path.join(dir, "nope.pem") })).toThrow(
        /cannot read CA certificate \(NOMAD_CACERT\) ".*nope.pem"/,
      );
      expect(() => tlsConnectOptions({ clientCert: path.join(dir, "cli.pem") })).toThrow(/NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY/);
    });

    it("builds an https client from the environment (the TLS files are read at construction)", () => {
      expect(() => NomadClient.fromEnv({ NOMAD_ADDR: "https://127.0.0.1:1", NOMAD_CACERT: path.join(dir, "missing.pem") })).toThrow(
        /NOMAD_CACERT/,
      );
    });
  });
});
