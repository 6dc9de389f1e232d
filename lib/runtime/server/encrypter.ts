/**
 * The server's keyring for Nomad Variables (Nomad's `nomad/encrypter.go` in
 * spirit): one AES-256-GCM root key, kept in `<data-dir>/server/keystore/` as Nomad keeps it (mode
 * 0600) so that an agent restarted on the same data directory reads its
 * variables back, while the state database only ever holds ciphertext.
 * Without a data directory the key lives in memory for the agent's lifetime.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The file of one root key. */
export interface KeyFile {
  /** The key's ID (stored with every variable it encrypts). */
  KeyID: string;
  /** "aes256-gcm", as Nomad names the algorithm. */
  Algorithm: "aes256-gcm";
  /** The key, base64. */
  Key: string;
  /** Unix milliseconds of its creation. */
  CreateTime: number;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts and decrypts variable items with the active root key. */
export class Encrypter {
  private readonly keys = new Map<string, Buffer>();
  private readonly files = new Map<string, KeyFile>();
  /** The ID of the key new writes use. */
  readonly activeKeyID: string;

  /** @param keystore the directory the keys are kept in (none: in memory only) */
  private constructor(
    keys: KeyFile[],
    private readonly keystore?: string,
  ) {
    for (const k of keys) {
      this.keys.set(k.KeyID, Buffer.from(k.Key, "base64"));
      this.files.set(k.KeyID, k);
    }
    const newest = [...keys].sort((a, b) => b.CreateTime - a.CreateTime)[0];
    this.activeKeyID = newest.KeyID;
  }

  /** A keyring held in memory only (no data directory): variables do not outlive the agent anyway. */
  static inMemory(): Encrypter {
    return new Encrypter([newKey()]);
  }

  /**
   * The keyring of a data directory: the keys under `<dir>/server/keystore/`,
   * or a new key written there (0600) on first start. Throws when a key
   * file is unreadable, naming it.
   */
  static open(dir: string): Encrypter {
    const keystore = path.join(dir, "server", "keystore");
    fs.mkdirSync(keystore, { recursive: true, mode: 0o700 });
    const keys: KeyFile[] = [];
    for (const name of fs.readdirSync(keystore).sort()) {
      if (!name.endsWith(".nks.json")) continue;
      const file = path.join(keystore, name);
      let k: KeyFile;
      try {
        k = JSON.parse(fs.readFileSync(file, "utf8")) as KeyFile;
      } catch (err) {
        throw new Error(`keyring: cannot read ${file}: ${(err as Error).message}`);
      }
      if (typeof k.KeyID !== "string" || typeof k.Key !== "string" || Buffer.from(k.Key, "base64").length !== 32)
        throw new Error(`keyring: ${file} is not a 256-bit root key`);
      keys.push(k);
    }
    if (keys.length === 0) {
      const k = newKey();
      writeKeyFile(keystore, k);
      keys.push(k);
    }
    return new Encrypter(keys, keystore);
  }

  /** Every root key of the keyring, in clear (what a snapshot carries so that a fresh agent can decrypt the variables it restores). */
  exportKeys(): KeyFile[] {
    return [...this.files.values()].map((k) => ({ ...k }));
  }

  /**
   * Adds root keys (a snapshot restore brings the keys of its variables),
   * written to the keystore first when there is one. A key already held is
   * kept as it is; a different key under a held ID is refused.
   */
  addKeys(keys: readonly KeyFile[]): void {
    for (const k of keys) {
      const held = this.files.get(k.KeyID);
      if (held && held.Key !== k.Key) throw new Error(`keyring: key ${k.KeyID} is already held with other key material`);
    }
    const fresh = keys.filter((k) => !this.files.has(k.KeyID));
    if (this.keystore) for (const k of fresh) writeKeyFile(this.keystore, k);
    for (const k of fresh) {
      this.keys.set(k.KeyID, Buffer.from(k.Key, "base64"));
      this.files.set(k.KeyID, { ...k });
    }
  }

  /** Encrypts `plaintext` bound to `aad` (the variable's namespace and path): base64 of nonce, ciphertext and tag. */
  encrypt(plaintext: string, aad: string): { Data: string; KeyID: string } {
    const key = this.keys.get(this.activeKeyID) as Buffer;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return { Data: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64"), KeyID: this.activeKeyID };
  }

  /** Decrypts what `encrypt` made. Throws when the key is unknown or the data was altered. */
  decrypt(data: string, keyID: string, aad: string): string {
    const key = this.keys.get(keyID);
    if (!key) throw new Error(`no such key ${JSON.stringify(keyID)} in keyring`);
    const raw = Buffer.from(data, "base64");
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new Error("encrypted variable data is too short");
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  }
}

/** Writes a key file (0600) atomically: a temporary file renamed into place. */
function writeKeyFile(keystore: string, k: KeyFile): void {
  if (!/^[A-Za-z0-9-]+$/.test(k.KeyID)) throw new Error(`keyring: key ID ${JSON.stringify(k.KeyID)} is not a UUID`);
  const file = path.join(keystore, `${k.KeyID}.nks.json`);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(k) + "\n", { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function newKey(): KeyFile {
  return { KeyID: randomUUID(), Algorithm: "aes256-gcm", Key: randomBytes(32).toString("base64"), CreateTime: Date.now() };
}
