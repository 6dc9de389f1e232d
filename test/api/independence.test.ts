/**
 * lib/api is the single definition of Nomad's wire types and must work
 * against a real Nomad: nothing under lib/api may import from the included
 * runtime (the runtime imports lib/api/types, never the other way round).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const API_DIR = path.resolve(__dirname, "../../lib/api");
const RUNTIME_DIR = path.resolve(__dirname, "../../lib/runtime");

/** Every .ts file below `dir`. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** The relative module specifiers of a file's imports, re-exports and requires. */
function relativeSpecifiers(source: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']*)["']/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) found.push(m[1]);
  return found;
}

describe("lib/api independence", () => {
  it("finds the relative imports it checks", () => {
    expect(relativeSpecifiers('import type { A } from "../types/client";\nexport * from "./b";\nconst c = require("../c");')).toEqual([
      "../types/client",
      "./b",
      "../c",
    ]);
  });

  it("has no import that leads into lib/runtime", () => {
    const files = tsFiles(API_DIR);
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      for (const spec of relativeSpecifiers(fs.readFileSync(file, "utf8"))) {
        const target = path.resolve(path.dirname(file), spec);
        if (target === RUNTIME_DIR || target.startsWith(RUNTIME_DIR + path.sep))
          offenders.push(`${path.relative(API_DIR, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
