#!/usr/bin/env node
/**
 * A small .xlsx for the try page and its browser test when samples/bike-chain.xlsx is not there: the
 * bike-chain example's CSV files (test/fixtures/examples/bike-chain) as Excel tables, one sheet each,
 * amounts as numbers and dates as date cells, codes as text.
 *   node scripts/try-fixture.js [out.xlsx]
 */
"use strict";
const fs = require("fs");
const path = require("path");
const ExcelJS = require("exceljs");

const ROOT = path.resolve(__dirname, "..");
const DEFAULT_DIR = path.join(ROOT, "test/fixtures/examples/bike-chain");

function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  text = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c !== ""));
}

const NUMERIC = /amount|cost posted|entry no|set id|standard cost|overhead rate|^no\.$/i;
const TEXTUAL = /code|account|group|item no|source no|document no|order no/i;
const DATE = /date|posting from|posting to/i;

function cellValue(header, text) {
  if (text === "") return null;
  if (DATE.test(header) && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const [y, m, d] = text.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  }
  if (NUMERIC.test(header) && !TEXTUAL.test(header) && /^-?\d+(\.\d+)?$/.test(text))
    return Number(text);
  return text;
}

async function buildFixture(out, dir = DEFAULT_DIR) {
  const wb = new ExcelJS.Workbook();
  const order = [
    "Value Entries",
    "Inventory Posting Setup",
    "General Posting Setup",
    "Items",
    "GL Accounts",
    "Settings",
  ];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".csv") && !f.startsWith("expected"));
  files.sort((a, b) => {
    const ia = order.indexOf(a.slice(0, -4));
    const ib = order.indexOf(b.slice(0, -4));
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  for (const f of files) {
    const name = f.slice(0, -4);
    const [header, ...body] = parseCsv(fs.readFileSync(path.join(dir, f), "utf8"));
    const ws = wb.addWorksheet(name);
    ws.addTable({
      name: name.replace(/[^A-Za-z0-9]/g, ""),
      ref: "A1",
      headerRow: true,
      style: { theme: "TableStyleMedium2", showRowStripes: true },
      columns: header.map((h) => ({ name: h, filterButton: true })),
      rows: body.map((r) => header.map((h, i) => cellValue(h, r[i] ?? ""))),
    });
    header.forEach((h, i) => {
      const col = ws.getColumn(i + 1);
      col.width = Math.min(40, Math.max(10, h.length + 2));
      if (DATE.test(h)) body.forEach((_, r) => (ws.getCell(r + 2, i + 1).numFmt = "yyyy-mm-dd"));
      else if (NUMERIC.test(h) && /amount|cost/i.test(h) && !TEXTUAL.test(h))
        body.forEach((_, r) => (ws.getCell(r + 2, i + 1).numFmt = "#,##0.00"));
    });
  }
  await wb.xlsx.writeFile(out);
  return out;
}

module.exports = { buildFixture, parseCsv };

if (require.main === module) {
  const out = process.argv[2] || path.join(ROOT, "out", "try-bike-chain.xlsx");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  buildFixture(out).then((f) => console.log(`wrote ${f}`));
}
