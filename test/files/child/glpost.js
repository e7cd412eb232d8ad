// glpost from the TypeScript sources in a child process, for tests that need real processes (no build step:
// each .ts file is transpiled as it is loaded, types are not checked here).
"use strict";
const nodeCrypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
// Transpiled files are cached by content (a transpile costs ~50 ms a file; a run loads ~80 files).
const cacheDir = path.join(os.tmpdir(), "glpost-test-ts-cache");
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
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  }
  module._compile(code, filename);
};
const { main } = require("../../../src/cli/main.ts");
// Warm-up: load (and so transpile) the lazily loaded .xlsx adapter too.
if (process.env.GLPOST_TEST_WARM) require("../../../src/files/xlsx/index.ts");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`unexpected: ${(e && e.stack) || e}\n`);
    process.exitCode = 70;
  }
);
