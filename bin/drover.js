#!/usr/bin/env node
"use strict";
// The installed entry point: the CLI is compiled to dist/ by `npm run build` (run by `prepare`).
require("../dist/lib/cli/main.js").main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`drover: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 1; },
);
