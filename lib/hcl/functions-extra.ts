/**
 * The rest of jobspec2's function library: network (cidrhost, cidrnetmask,
 * cidrsubnet, cidrsubnets), time (formatdate, timeadd), fileset and uuidv5.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { HclFunction } from "./evaluate";
import { FunctionError } from "./evaluate";
import type { Value } from "./values";
import { toNumberValue, toStringValue } from "./values";

const str = (v: Value, i: number): string => {
  try {
    return toStringValue(v, `argument ${i + 1}`);
  } catch (e) {
    throw new FunctionError((e as Error).message, i);
  }
};
const int = (v: Value, i: number): number => {
  let n: number;
  try {
    n = toNumberValue(v, `argument ${i + 1}`);
  } catch (e) {
    throw new FunctionError((e as Error).message, i);
  }
  if (!Number.isInteger(n)) throw new FunctionError(`argument ${i + 1} must be a whole number`, i);
  return n;
};

// ---- network ----

interface Prefix {
  v6: boolean;
  bits: number;
  addr: bigint;
  len: number;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIPv6(s: string): bigint | undefined {
  let text = s;
  let tail: bigint[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = parseIPv4(v4[1]);
    if (n === undefined) return undefined;
    tail = [n >> 16n, n & 0xffffn];
    text = text.slice(0, -v4[1].length) + "0:0";
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const grab = (h: string) => (h === "" ? [] : h.split(":"));
  const head = grab(halves[0]);
  const rest = halves.length === 2 ? grab(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let n = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tail.length) n = ((n >> 32n) << 32n) | (tail[0] << 16n) | tail[1];
  return n;
}

function parsePrefix(s: string, i: number): Prefix {
  const m = /^([^/]+)\/(\d+)$/.exec(s);
  if (!m) throw new FunctionError(`invalid CIDR address: ${s}`, i);
  const v6 = m[1].includes(":");
  const bits = v6 ? 128 : 32;
  const addr = v6 ? parseIPv6(m[1]) : parseIPv4(m[1]);
  const len = Number(m[2]);
  if (addr === undefined || len > bits) throw new FunctionError(`invalid CIDR address: ${s}`, i);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - len)) - 1n);
  return { v6, bits, addr: addr & mask, len };
}

function formatIP(n: bigint, v6: boolean): string {
  if (!v6) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join(".");
  const groups = Array.from({ length: 8 }, (_, k) => Number((n >> BigInt(112 - 16 * k)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let k = 0; k < 8;) {
    if (groups[k] !== 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && groups[e] === 0) e++;
    if (e - k > bestLen && e - k > 1) {
      bestStart = k;
      bestLen = e - k;
    }
    k = e;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

function subnet(p: Prefix, newbits: number, netnum: number, i: number): Prefix {
  const len = p.len + newbits;
  if (newbits < 0 || len > p.bits) throw new FunctionError(`insufficient address space to extend prefix of ${p.len} by ${newbits}`, i);
  if (netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits))
    throw new FunctionError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`, i + 1);
  return { ...p, len, addr: p.addr | (BigInt(netnum) << BigInt(p.bits - len)) };
}

// ---- time ----

function parseTimestamp(s: string, i: number): { date: Date; offsetMin: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(s);
  if (!m) throw new FunctionError(`not a valid RFC3339 timestamp: ${JSON.stringify(s)}`, i);
  const offsetMin =
    m[8].toUpperCase() === "Z" ? 0 : (m[8][0] === "-" ? -1 : 1) * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6)));
  const utc =
    Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
      m[7] ? Math.round(Number(m[7]) * 1000) : 0,
    ) -
    offsetMin * 60_000;
  return { date: new Date(utc), offsetMin };
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function durationMs(s: string, i: number): number {
  const m = /^([+-]?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(s);
  if (!m) throw new FunctionError(`invalid duration ${JSON.stringify(s)}`, i);
  let total = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * UNIT_MS[part[2]];
  return m[1] === "-" ? -total : total;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

function rfc3339(date: Date, offsetMin: number): string {
  const local = new Date(date.getTime() + offsetMin * 60_000);
  const base = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  if (offsetMin === 0) return base + "Z";
  const a = Math.abs(offsetMin);
  return `${base}${offsetMin < 0 ? "-" : "+"}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function formatDate(spec: string, ts: string): string {
  const { date, offsetMin } = parseTimestamp(ts, 1);
  const t = new Date(date.getTime() + offsetMin * 60_000);
  const off = (sep: string) => {
    const a = Math.abs(offsetMin);
    return `${offsetMin < 0 ? "-" : "+"}${pad(Math.floor(a / 60))}${sep}${pad(a % 60)}`;
  };
  const h12 = t.getUTCHours() % 12 === 0 ? 12 : t.getUTCHours() % 12;
  const tokens: Record<string, () => string> = {
    YYYY: () => pad(t.getUTCFullYear(), 4),
    YY: () => pad(t.getUTCFullYear() % 100),
    MMMM: () => MONTHS[t.getUTCMonth()],
    MMM: () => MONTHS[t.getUTCMonth()].slice(0, 3),
    MM: () => pad(t.getUTCMonth() + 1),
    M: () => String(t.getUTCMonth() + 1),
    DD: () => pad(t.getUTCDate()),
    D: () => String(t.getUTCDate()),
    EEEE: () => DAYS[t.getUTCDay()],
    EEE: () => DAYS[t.getUTCDay()].slice(0, 3),
    hh: () => pad(t.getUTCHours()),
    h: () => String(t.getUTCHours()),
    HH: () => pad(h12),
    H: () => String(h12),
    AA: () => (t.getUTCHours() < 12 ? "AM" : "PM"),
    aa: () => (t.getUTCHours() < 12 ? "am" : "pm"),
    mm: () => pad(t.getUTCMinutes()),
    m: () => String(t.getUTCMinutes()),
    ss: () => pad(t.getUTCSeconds()),
    s: () => String(t.getUTCSeconds()),
    ZZZZZ: () => off(":"),
    ZZZZ: () => off(""),
    ZZZ: () => (offsetMin === 0 ? "UTC" : off("")),
    Z: () => (offsetMin === 0 ? "Z" : off(":")),
  };
  let out = "";
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (c === "'") {
      if (spec[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      for (;;) {
        if (j >= spec.length) throw new FunctionError("unterminated literal in the format string", 0);
        if (spec[j] === "'" && spec[j + 1] === "'") {
          out += "'";
          j += 2;
        } else if (spec[j] === "'") break;
        else out += spec[j++];
      }
      i = j + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (j < spec.length && spec[j] === c) j++;
      const run = spec.slice(i, j);
      const f = tokens[run];
      if (!f) throw new FunctionError(`invalid date format verb ${JSON.stringify(run)}`, 0);
      out += f();
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

// ---- files ----

function globRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      re += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += pattern[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = pattern.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${pattern
          .slice(i + 1, end)
          .split(",")
          .map((a) => a.replace(/[.+^$()|[\]\\]/g, "\\$&"))
          .join("|")})`;
        i = end;
      }
    } else if (c === "[") {
      const end = pattern.indexOf("]", i);
      re += end < 0 ? "\\[" : pattern.slice(i, end + 1).replace(/^\[!/, "[^");
      if (end >= 0) i = end;
    } else re += c.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function walk(dir: string, rel: string, out: string[], depth: number): void {
  if (depth > 64) return;
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(dir, r, out, depth + 1);
    else if (e.isFile()) out.push(r);
  }
}

/** The network, time, fileset and uuidv5 functions. */
export function extraFunctions(baseDir: string, allowFs: boolean): Record<string, HclFunction> {
  return {
    cidrhost: {
      minArgs: 2,
      maxArgs: 2,
      call: ([p, n]) => {
        const pre = parsePrefix(str(p, 0), 0);
        let host = BigInt(int(n, 1));
        const size = 1n << BigInt(pre.bits - pre.len);
        if (host < 0n) host += size;
        if (host < 0n || host >= size) throw new FunctionError(`prefix of ${pre.len} does not accommodate a host numbered ${n}`, 1);
        return formatIP(pre.addr | host, pre.v6);
      },
    },
    cidrnetmask: {
      minArgs: 1,
      maxArgs: 1,
      call: ([p]) => {
        const pre = parsePrefix(str(p, 0), 0);
        if (pre.v6) throw new FunctionError("only IPv4 prefixes have a netmask", 0);
        return formatIP(((1n << 32n) - 1n) ^ ((1n << BigInt(32 - pre.len)) - 1n), false);
      },
    },
    cidrsubnet: {
      minArgs: 3,
      maxArgs: 3,
      call: ([p, nb, nn]) => {
        const s = subnet(parsePrefix(str(p, 0), 0), int(nb, 1), int(nn, 2), 1);
        return `${formatIP(s.addr, s.v6)}/${s.len}`;
      },
    },
    cidrsubnets: {
      minArgs: 1,
      maxArgs: Infinity,
      call: ([p, ...bits]) => {
        const base = parsePrefix(str(p, 0), 0);
        let next = base.addr;
        return bits.map((b, k) => {
          const newbits = int(b, k + 1);
          const len = base.len + newbits;
          if (newbits < 1 || len > base.bits)
            throw new FunctionError(
              `would extend prefix to ${len} bits, which is too long for an IP${base.v6 ? "v6" : "v4"} address`,
              k + 1,
            );
          const step = 1n << BigInt(base.bits - len);
          const start = ((next + step - 1n) / step) * step;
          if (start + step > base.addr + (1n << BigInt(base.bits - base.len)))
            throw new FunctionError("not enough remaining address space for a subnet with a prefix of " + len + " bits", k + 1);
          next = start + step;
          return `${formatIP(start, base.v6)}/${len}`;
        });
      },
    },
    formatdate: { minArgs: 2, maxArgs: 2, call: ([spec, ts]) => formatDate(str(spec, 0), str(ts, 1)) },
    timeadd: {
      minArgs: 2,
      maxArgs: 2,
      call: ([ts, d]) => {
        const { date, offsetMin } = parseTimestamp(str(ts, 0), 0);
        return rfc3339(new Date(date.getTime() + durationMs(str(d, 1), 1)), offsetMin);
      },
    },
    fileset: {
      minArgs: 2,
      maxArgs: 2,
      call: ([p, pat]) => {
        if (!allowFs) throw new FunctionError("filesystem function disabled", 0);
        const dir = path.isAbsolute(str(p, 0)) ? str(p, 0) : path.join(baseDir, str(p, 0));
        const files: string[] = [];
        try {
          walk(dir, "", files, 0);
        } catch (e) {
          throw new FunctionError(`failed to read ${str(p, 0)}: ${(e as Error).message}`, 0);
        }
        const re = globRegExp(str(pat, 1));
        return files.filter((f) => re.test(f)).sort();
      },
    },
    uuidv5: {
      minArgs: 2,
      maxArgs: 2,
      call: ([ns, name]) => {
        const known: Record<string, string> = {
          dns: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
          url: "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
          oid: "6ba7b812-9dad-11d1-80b4-00c04fd430c8",
          x500: "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
        };
        const nsText = known[str(ns, 0)] ?? str(ns, 0);
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nsText))
          throw new FunctionError(`uuidv5() doesn't support namespace ${JSON.stringify(str(ns, 0))}`, 0);
        const hash = crypto
          .createHash("sha1")
          .update(Buffer.from(nsText.replace(/-/g, ""), "hex"))
          .update(str(name, 1))
          .digest();
        hash[6] = (hash[6] & 0x0f) | 0x50;
        hash[8] = (hash[8] & 0x3f) | 0x80;
        const h = hash.subarray(0, 16).toString("hex");
        return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      },
    },
  };
}
