// Preloaded (node -r) into a glpost child process by the commit tests; the product has no test hooks.
//   GLPOST_TEST_RENAME_DELAY_MS=n  every fs.promises.rename waits n ms first (a slow network share)
//   GLPOST_TEST_KILL_AT=n          the process kills itself (SIGKILL) at its n-th write-side file operation
//                                  (open for writing, rename, unlink, rm): a crash at that exact point
//   GLPOST_TEST_COUNT_OUT=file     at exit, the number of write-side file operations is written there
"use strict";
const fsp = require("fs").promises;
const delay = Number(process.env.GLPOST_TEST_RENAME_DELAY_MS || 0);
const killAt = Number(process.env.GLPOST_TEST_KILL_AT || 0);
let count = 0;
function wrap(name, isWrite) {
  const orig = fsp[name];
  fsp[name] = async function (...args) {
    if (isWrite(args) && ++count === killAt && killAt > 0) process.kill(process.pid, "SIGKILL");
    if (name === "rename" && delay > 0) await new Promise((r) => setTimeout(r, delay));
    return orig.apply(this, args);
  };
}
wrap("open", (a) => typeof a[1] === "string" && /[wa+]/.test(a[1]));
wrap("rename", () => true);
wrap("unlink", () => true);
wrap("rm", () => true);
wrap("writeFile", () => true);
if (process.env.GLPOST_TEST_COUNT_OUT) {
  const out = process.env.GLPOST_TEST_COUNT_OUT;
  process.on("exit", () => require("fs").writeFileSync(out, String(count)));
}
