#!/usr/bin/env node
/**
 * `npm run try`: serves the try page (dist/try, built by `webpack --env try`) on 127.0.0.1 with a workbook:
 * samples/bike-chain.xlsx by default, else --xlsx FILE, else a fixture built from the bike-chain CSVs.
 * Nothing but files from this folder is served; the page loads nothing from the internet.
 *   node scripts/serve-try.js [--port 3100] [--xlsx FILE]
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const http = require("http");

const ROOT = path.resolve(__dirname, "..");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".json": "application/json",
  ".map": "application/json",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function workbookFile(explicit) {
  if (explicit) return path.resolve(explicit);
  const sample = path.join(ROOT, "samples", "bike-chain.xlsx");
  if (fs.existsSync(sample)) return sample;
  const { buildFixture } = require("./try-fixture");
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "invt-try-")), "bike-chain.xlsx");
  await buildFixture(out);
  return out;
}

/** Starts the server; resolves to { server, url, file }. */
async function serveTry({ port = 3100, xlsx, host = "127.0.0.1", log = console.log } = {}) {
  const dist = path.join(ROOT, "dist", "try");
  if (!fs.existsSync(path.join(dist, "index.html")))
    throw new Error("dist/try is missing: run `npx webpack --mode development --env try` first.");
  const file = await workbookFile(xlsx);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let p = decodeURIComponent(url.pathname);
    let target;
    if (p === "/" || p === "/index.html") target = path.join(dist, "index.html");
    else if (p === "/workbook.xlsx") target = file;
    else {
      target = path.join(dist, path.normalize(p).replace(/^([/\\])+/, ""));
      if (!target.startsWith(dist + path.sep)) target = null;
    }
    if (!target || !fs.existsSync(target) || !fs.statSync(target).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    const headers = {
      "content-type": TYPES[path.extname(target)] || "application/octet-stream",
      "cache-control": "no-store",
    };
    if (p === "/workbook.xlsx") headers["x-file-name"] = path.basename(file);
    res.writeHead(200, headers);
    fs.createReadStream(target).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}/`;
  log(`Try the add-in: ${url}  (workbook: ${path.relative(ROOT, file) || file})`);
  return { server, url, file };
}

module.exports = { serveTry };

if (require.main === module) {
  serveTry({ port: Number(arg("port", "3100")), xlsx: arg("xlsx") }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
