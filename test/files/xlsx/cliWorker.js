// Runs `glpost` (src/cli/main.ts, transpiled as loaded) in a worker thread for tests that must survive a
// hang: the test side (watchdog.ts) terminates the worker when a run takes too long. Each message is
// { id, argv }; the reply is { id, code, threw, stderr }.
"use strict";
const nodeCrypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { parentPort } = require("worker_threads");
const cacheDir = path.join(os.tmpdir(), "glpost-xlsx-worker-ts-cache");
fs.mkdirSync(cacheDir, { recursive: true });
let ts = null;
require.extensions[".ts"] = function (module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const cached = path.join(
    cacheDir,
    nodeCrypto
      .createHash("sha1")
      .update(filename + "\0" + source)
      .digest("hex") + ".js"
  );
  let code;
  try {
    code = fs.readFileSync(cached, "utf8");
  } catch {
    ts = ts || require("typescript");
    code = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        isolatedModules: true,
      },
    }).outputText;
    const tmp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  }
  module._compile(code, filename);
};
// GLPOST_WORKER_MAIN: another build's cli/main (to show a test failing on older code by hand).
const { main } = require(process.env.GLPOST_WORKER_MAIN || "../../../src/cli/main.ts");
parentPort.on("message", async ({ id, argv }) => {
  let stderr = "";
  const io = { stdout: () => {}, stderr: (s) => (stderr += s), tty: false };
  try {
    const code = await main(argv, io);
    parentPort.postMessage({ id, code, threw: null, stderr });
  } catch (e) {
    parentPort.postMessage({ id, code: null, threw: String((e && e.stack) || e), stderr });
  }
});
