#!/usr/bin/env node
// glpost: Post Inventory Cost to G/L on .xlsx, CSV and JSON workbooks (the compiled CLI lives in lib/, built by `npm ci`).
"use strict";
const { main } = require("../lib/src/cli/main.js");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`glpost: unexpected error: ${(e && e.stack) || e}\n`);
    process.exitCode = 70;
  }
);
