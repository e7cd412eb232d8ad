/**
 * The add-in builds: the browser code type-checks (tsconfig.excel.json), and `webpack --mode production`
 * emits everything the manifest names (into a temporary folder, so dist/ is left alone).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpack = require("webpack");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpackConfig = require("../../webpack.config.js");

test("the browser code type-checks (tsc -p tsconfig.excel.json)", () => {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  expect(() =>
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.excel.json", "--noEmit"], {
      cwd: ROOT,
      stdio: "pipe",
    })
  ).not.toThrow();
}, 120_000);

test("webpack --mode production emits the files the manifest names", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "invt-dist-"));
  const config = await webpackConfig({}, { mode: "production" });
  config.output.path = out;
  const stats = await new Promise<{ hasErrors(): boolean; toString(o: unknown): string }>(
    (resolve, reject) =>
      webpack(
        config,
        (err: Error | null, s: { hasErrors(): boolean; toString(o: unknown): string }) =>
          err ? reject(err) : resolve(s)
      )
  );
  expect(stats.hasErrors() ? stats.toString({ all: false, errors: true }) : "").toBe("");
  const manifest = fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8");
  const named = [...manifest.matchAll(/https:\/\/localhost:3000\/([^"]+)"/g)].map((m) => m[1]);
  for (const f of new Set(named))
    expect(fs.existsSync(path.join(out, f)) ? f : `missing ${f}`).toBe(f);
  const js = fs.readFileSync(path.join(out, "taskpane.js"), "utf8");
  expect(js).toContain('CustomFunctions.associate("ACCOUNTS"');
  expect(js).toContain('"postCostToGL"');
  expect(js).toContain('"testReport"');
  const functions = JSON.parse(fs.readFileSync(path.join(out, "functions.json"), "utf8"));
  expect(functions.functions.map((f: { id: string }) => f.id)).toEqual([
    "ACCOUNTS",
    "GLPOST",
    "SKIPPED",
    "TOTALS",
    "GLACCOUNT",
    "COSTTOPOST",
    "RECONCILE",
  ]);
  for (const id of ["GLPOST", "SKIPPED", "TOTALS", "GLACCOUNT", "COSTTOPOST", "RECONCILE"])
    expect(js).toContain(`CustomFunctions.associate("${id}"`);
  const html = fs.readFileSync(path.join(out, "taskpane.html"), "utf8");
  expect(html).toMatch(/<script[^>]+office\.js/);
  expect(html).toContain("taskpane.js");
  const kb = fs.statSync(path.join(out, "taskpane.js")).size / 1024;
  console.log(`taskpane.js: ${kb.toFixed(0)} KB minified`);
  expect(kb).toBeLessThan(600);
  fs.rmSync(out, { recursive: true, force: true });
}, 120_000);
