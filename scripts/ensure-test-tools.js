#!/usr/bin/env node
// Runs before `npm test`: the task-pane test drives Debian's Chromium and the manifest test runs xmllint.
// On a fresh Debian machine (as root) they are installed here, so `npm test` works on its own; elsewhere
// this says what to install. Nothing is downloaded by npm packages themselves (no bundled browsers).
"use strict";
const { execSync } = require("child_process");
const fs = require("fs");

const need = [];
if (!fs.existsSync("/usr/bin/chromium")) need.push("chromium");
try {
  execSync("command -v xmllint", { stdio: "ignore", shell: "/bin/sh" });
} catch {
  need.push("libxml2-utils");
}
if (need.length === 0) process.exit(0);

const canApt = process.getuid && process.getuid() === 0 && fs.existsSync("/usr/bin/apt-get");
if (!canApt) {
  process.stderr.write(
    `npm test needs ${need.join(" and ")} (Debian: apt-get install -y ${need.join(" ")}); the browser test expects /usr/bin/chromium.\n`
  );
  process.exit(1);
}
process.stderr.write(
  `Installing ${need.join(", ")} for the browser and manifest tests (apt-get)...\n`
);
const run = (cmd) => execSync(cmd, { stdio: ["ignore", "ignore", "inherit"], shell: "/bin/sh" });
try {
  run(`apt-get install -y ${need.join(" ")}`);
} catch {
  run("apt-get update");
  run(`apt-get install -y ${need.join(" ")}`);
}
