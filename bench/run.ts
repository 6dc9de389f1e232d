/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or only those named on the
 * command line, e.g. `npm run bench -- jobspec`) one after another and prints
 * their reports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchModule } from "./harness";

async function runAll(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
    .sort();
  console.log(`node ${process.version}, ${require("node:os").cpus().length} cores, ${new Date().toISOString()}`);
  for (const file of files) {
    const mod = require(path.join(__dirname, file)) as BenchModule;
    console.log(`\n## ${mod.title} (${file})\n`);
    await mod.run();
  }
}

runAll().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
