/**
 * Generated ledgers for the benchmark (and big-file tests): realistic value entries over a few locations,
 * posting groups and dates, with the setup that posts all of them. Deterministic (seeded).
 *
 *   node lib/scripts/genLedger.js --parquet <file> [--entries N] [--shape "few keys"|"mixed keys"|"many keys"] [--seed S]
 *   node lib/scripts/genLedger.js --csv-folder <folder> [--entries N] [--seed S]   (with its setup; writeGeneratedCsvFolder)
 *
 * writes N value entries (default 1,000,000) as a Parquet file, streamed (writeValueEntriesParquet).
 */
import * as fs from "fs";
import * as path from "path";
import { ACCOUNT_TYPES } from "../src/engine/accountTypes";
import { DEFAULT_SETTINGS, type PostingInput, type ValueEntry } from "../src/engine/types";
import {
  DEFAULT_ROW_GROUP_ROWS,
  ParquetTableWriter,
  type ParquetColumn,
} from "../src/files/parquet";
import type { CellValue } from "../src/workbook/port";

/** A small fast PRNG (mulberry32) so generated ledgers are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const LOCATIONS = ["BLUE", "RED", "GREEN", ""];
export const INV_GROUPS = ["RESALE", "RAW MAT", "FINISHED"];
export const BUS_GROUPS = ["DOMESTIC", "EU", "EXPORT", ""];
const DIM_VALUES = ["", "SALES", "ADM", "PROD"];
export const PROD_GROUPS = ["RETAIL", "RAW MAT", "MANUFACT"];

const KINDS: [
  ValueEntry["itemLedgerEntryType"],
  ValueEntry["entryType"],
  ValueEntry["varianceType"],
  ValueEntry["orderType"],
  boolean,
][] = [
  ["Purchase", "Direct Cost", "", "", true],
  ["Purchase", "Direct Cost", "", "", false],
  ["Purchase", "Indirect Cost", "", "", false],
  ["Purchase", "Variance", "Purchase", "", false],
  ["Sale", "Direct Cost", "", "", true],
  ["Sale", "Direct Cost", "", "", false],
  ["Positive Adjmt.", "Direct Cost", "", "", false],
  ["Negative Adjmt.", "Direct Cost", "", "", false],
  ["Transfer", "Direct Cost", "", "Transfer", false],
  ["Consumption", "Direct Cost", "", "Production", false],
  ["Output", "Direct Cost", "", "Production", false],
  ["Output", "Variance", "Material", "Production", false],
  ["Sale", "Revaluation", "", "", false],
  ["", "Direct Cost", "", "Production", false],
];

export function generateValueEntries(
  count: number,
  seed = 1,
  firstDay = 20454 /* 2026-01-01 */,
  days = 28
): ValueEntry[] {
  const next = valueEntryGenerator(count, seed, firstDay, days);
  const out = new Array<ValueEntry>(count);
  for (let i = 0; i < count; i++) out[i] = next();
  return out;
}

/**
 * The entries of generateValueEntries(count, seed, firstDay, days) one at a time, in order (the same entries: the
 * PRNG is drawn in the same order), so a file of any size can be generated without holding it.
 */
export function valueEntryGenerator(
  count: number,
  seed = 1,
  firstDay = 20454 /* 2026-01-01 */,
  days = 28
): () => ValueEntry {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  let i = 0;
  return () => {
    const [ile, et, vt, ot, expected] = pick(KINDS);
    const cents = Math.floor(r() * 2000000) - 500000;
    const capacity = ile === "";
    const dims = Math.floor(r() * DIM_VALUES.length);
    const e: ValueEntry = {
      entryNo: i + 1,
      itemNo: capacity ? "" : `ITEM-${Math.floor(r() * 5000)}`,
      postingDate: firstDay + Math.floor((i / count) * days),
      itemLedgerEntryType: ile,
      entryType: et,
      varianceType: vt,
      expectedCost: expected,
      inventoriable: true,
      locationCode: capacity ? "" : pick(LOCATIONS),
      inventoryPostingGroup: capacity ? "" : pick(INV_GROUPS),
      genBusPostingGroup: pick(BUS_GROUPS),
      genProdPostingGroup: pick(PROD_GROUPS),
      sourceType: ile === "Consumption" || capacity ? "Item" : "",
      sourceNo: ile === "Consumption" || capacity ? "CHAIN" : `V${Math.floor(r() * 100)}`,
      orderType: ot,
      orderNo: ot === "Production" ? `PO-${Math.floor(r() * 1000)}` : "",
      documentNo: `DOC-${Math.floor(i / 3)}`,
      externalDocumentNo: "",
      costAmountActual: expected ? 0 : cents,
      costAmountExpected: expected ? cents : 0,
      costPostedToGL: 0,
      expectedCostPostedToGL: 0,
      costAmountActualACY: 0,
      costAmountExpectedACY: 0,
      costPostedToGLACY: 0,
      expCostPostedToGLACY: 0,
      // A dimension set decides its global dimension values, as in BC.
      dimensionSetId: dims,
      globalDimension1Code: DIM_VALUES[dims],
      globalDimension2Code: "",
      itemLedgerEntryNo: i + 1,
      description: "",
    };
    i++;
    return e;
  };
}

/**
 * Three shapes of the same generated ledger, by how many entries merge into one G/L entry:
 * - few keys: no dimensions, one business group (about 27 entries per G/L entry);
 * - mixed keys: 4 locations x 3 inventory groups x 4 business x 3 product groups x 4 dimension sets x 28 days
 *   (the entries as generated);
 * - many keys: 97 dimension sets on top (most lines are a G/L entry of their own).
 */
export const SHAPES = ["few keys", "mixed keys", "many keys"] as const;
export type LedgerShape = (typeof SHAPES)[number];

/** Gives entry i (0-based) the shape, in place. */
export function shapeEntry(e: ValueEntry, i: number, shape: LedgerShape): void {
  if (shape === "few keys") {
    e.dimensionSetId = 0;
    e.globalDimension1Code = "";
    e.genBusPostingGroup = "DOMESTIC";
  } else if (shape === "many keys") {
    e.dimensionSetId = i % 97;
    e.globalDimension1Code = `D${i % 97}`;
    e.genBusPostingGroup = ["DOMESTIC", "EU", "EXPORT", ""][i % 4];
  }
}

// ---------------------------------------------------------------------------------------------
// Value entries as a file

/** The columns of a generated Value Entries file (CSV and Parquet alike), with their Parquet kinds. */
export const VALUE_ENTRY_FILE_COLUMNS: ParquetColumn[] = [
  { name: "Entry No.", kind: "integer" },
  { name: "Posting Date", kind: "date" },
  { name: "Item No.", kind: "text" },
  { name: "Item Ledger Entry Type", kind: "text" },
  { name: "Entry Type", kind: "text" },
  { name: "Variance Type", kind: "text" },
  { name: "Expected Cost", kind: "boolean" },
  { name: "Location Code", kind: "text" },
  { name: "Inventory Posting Group", kind: "text" },
  { name: "Gen. Bus. Posting Group", kind: "text" },
  { name: "Gen. Prod. Posting Group", kind: "text" },
  { name: "Source Type", kind: "text" },
  { name: "Source No.", kind: "text" },
  { name: "Order Type", kind: "text" },
  { name: "Order No.", kind: "text" },
  { name: "Document No.", kind: "text" },
  { name: "Cost Amount (Actual)", kind: "decimal", scale: 2 },
  { name: "Cost Amount (Expected)", kind: "decimal", scale: 2 },
  { name: "Cost Posted to G/L", kind: "decimal", scale: 2 },
  { name: "Expected Cost Posted to G/L", kind: "decimal", scale: 2 },
  { name: "Dimension Set ID", kind: "integer" },
  { name: "Global Dimension 1 Code", kind: "text" },
];

/** Minor units (cents) as decimal text: -1 -> "-0.01", 5 -> "0.05" (exact, no float). */
function centsText(c: number): string {
  const a = Math.abs(c);
  const t = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, "0")}`;
  return c < 0 ? `-${t}` : t;
}

/**
 * An entry as the cells of VALUE_ENTRY_FILE_COLUMNS: amounts as decimal text, the date as the engine's day number,
 * Expected Cost as a boolean (a CSV writes Yes/No), blank codes as null.
 */
export function valueEntryCells(e: ValueEntry): CellValue[] {
  const t = (s: string) => (s === "" ? null : s);
  return [
    e.entryNo,
    e.postingDate,
    t(e.itemNo),
    t(e.itemLedgerEntryType),
    t(e.entryType),
    t(e.varianceType),
    e.expectedCost,
    t(e.locationCode),
    t(e.inventoryPostingGroup),
    t(e.genBusPostingGroup),
    t(e.genProdPostingGroup),
    t(e.sourceType),
    t(e.sourceNo),
    t(e.orderType),
    t(e.orderNo),
    t(e.documentNo),
    centsText(e.costAmountActual),
    centsText(e.costAmountExpected),
    centsText(e.costPostedToGL),
    centsText(e.expectedCostPostedToGL),
    e.dimensionSetId,
    t(e.globalDimension1Code),
  ];
}

/**
 * Writes n generated value entries (generateValueEntries(n, seed) in the given shape) as a Parquet file with
 * VALUE_ENTRY_FILE_COLUMNS, streamed: entries are generated and written one row group at a time, so 50,000,000
 * entries need no more memory than 100,000. Written to a temporary name and renamed when complete.
 */
export async function writeValueEntriesParquet(
  file: string,
  n: number,
  shape: LedgerShape = "mixed keys",
  seed = 1,
  rowGroupRows = DEFAULT_ROW_GROUP_ROWS
): Promise<void> {
  const next = valueEntryGenerator(n, seed);
  const temp = `${file}.${process.pid}.tmp`;
  const w = await ParquetTableWriter.create(temp, VALUE_ENTRY_FILE_COLUMNS, rowGroupRows);
  try {
    for (let i = 0; i < n;) {
      const rows: CellValue[][] = [];
      for (const end = Math.min(n, i + rowGroupRows); i < end; i++) {
        const e = next();
        shapeEntry(e, i, shape);
        rows.push(valueEntryCells(e));
      }
      await w.append(rows);
    }
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
  await fs.promises.rename(temp, file);
}

/** Setup with an account for every account type on every (location, group) and (bus., prod.) pair. */
export function generatedSetup(): Omit<PostingInput, "valueEntries"> {
  const inventoryPostingSetup = [];
  for (const loc of LOCATIONS)
    for (const g of [...INV_GROUPS, ""]) {
      inventoryPostingSetup.push({
        locationCode: loc,
        invtPostingGroupCode: g,
        accounts: ACCOUNT_TYPES.map((a) =>
          a.setupTable === "Inventory Posting Setup"
            ? `${1000 + a.ordinal * 10 + INV_GROUPS.indexOf(g) + 1}`
            : ""
        ),
      });
    }
  const generalPostingSetup = [];
  for (const b of BUS_GROUPS)
    for (const p of PROD_GROUPS)
      generalPostingSetup.push({
        genBusPostingGroup: b,
        genProdPostingGroup: p,
        blocked: false,
        accounts: ACCOUNT_TYPES.map((a) =>
          a.setupTable === "General Posting Setup"
            ? `${7000 + a.ordinal * 10 + PROD_GROUPS.indexOf(p)}`
            : ""
        ),
      });
  return {
    inventoryPostingSetup,
    generalPostingSetup,
    items: [{ no: "CHAIN", inventoryPostingGroup: "FINISHED" }],
    glAccounts: null,
    defaultDimensions: [],
    settings: { ...DEFAULT_SETTINGS, expectedCostPostingToGL: true },
    existing: { lastGLEntryNo: 0, lastTransactionNo: 0, lastRegisterNo: 0 },
  };
}

/** The Value Entries columns of a generated CSV folder: those of the Parquet file. */
const VALUE_ENTRY_CSV_COLUMNS = VALUE_ENTRY_FILE_COLUMNS.map((c) => c.name);

const iso = (day: number) => new Date(day * 86400000).toISOString().slice(0, 10);

/** An entry's cells of the Parquet file (valueEntryCells) as a CSV line's fields: ISO dates, Yes/No, blank. */
function valueEntryCsvCells(e: ValueEntry): (string | number)[] {
  return valueEntryCells(e).map((v, i) =>
    v === null
      ? ""
      : typeof v === "boolean"
        ? v
          ? "Yes"
          : "No"
        : VALUE_ENTRY_FILE_COLUMNS[i].kind === "date"
          ? iso(v as number)
          : v
  );
}

/**
 * A generated ledger as a CSV folder (Value Entries and the setup that posts them), written a block at a time:
 * 50,000,000 entries need no more memory than 50. The folder must exist.
 */
export function writeGeneratedCsvFolder(folder: string, entries: number, seed = 11): void {
  const csv = (name: string, header: string[], rows: (string | number)[][]) =>
    fs.writeFileSync(
      path.join(folder, `${name}.csv`),
      [header, ...rows].map((r) => r.join(",")).join("\n") + "\n"
    );
  const fd = fs.openSync(path.join(folder, "Value Entries.csv"), "w");
  try {
    let block: string[] = [VALUE_ENTRY_CSV_COLUMNS.join(",")];
    const next = valueEntryGenerator(entries, seed);
    for (let i = 0; i < entries; i++) {
      block.push(valueEntryCsvCells(next()).join(","));
      if (block.length >= 10000) {
        fs.writeSync(fd, block.join("\n") + "\n");
        block = [];
      }
    }
    if (block.length > 0) fs.writeSync(fd, block.join("\n") + "\n");
  } finally {
    fs.closeSync(fd);
  }
  const setup = generatedSetup();
  const inv = ACCOUNT_TYPES.filter((a) => a.setupTable === "Inventory Posting Setup");
  csv(
    "Inventory Posting Setup",
    ["Location Code", "Invt. Posting Group Code", ...inv.map((a) => a.setupField)],
    setup.inventoryPostingSetup.map((s) => [
      s.locationCode,
      s.invtPostingGroupCode,
      ...inv.map((a) => s.accounts[a.ordinal]),
    ])
  );
  const gen = ACCOUNT_TYPES.filter((a) => a.setupTable === "General Posting Setup");
  csv(
    "General Posting Setup",
    [
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Blocked",
      ...gen.map((a) => a.setupField),
    ],
    setup.generalPostingSetup.map((s) => [
      s.genBusPostingGroup,
      s.genProdPostingGroup,
      "No",
      ...gen.map((a) => s.accounts[a.ordinal]),
    ])
  );
  csv("Items", ["No.", "Inventory Posting Group"], [["CHAIN", "FINISHED"]]);
  csv("Settings", ["Setting", "Value"], [["Expected Cost Posting to G/L", "Yes"]]);
}

if (require.main === module) {
  const arg = (name: string, def: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
  };
  const file = arg("--parquet", "");
  const folder = arg("--csv-folder", "");
  const shape = arg("--shape", "mixed keys") as LedgerShape;
  const n = Number(arg("--entries", "1000000"));
  const t = performance.now();
  const done = (what: string, bytes: number) =>
    process.stderr.write(
      `${what}: ${n} entries, ${(bytes / 1e6).toFixed(1)} MB, ${((performance.now() - t) / 1000).toFixed(1)} s, max RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`
    );
  if (folder !== "") {
    // A generated ledger with its setup, as a folder of CSV files (glpost post <folder> [--stream]).
    fs.mkdirSync(folder, { recursive: true });
    writeGeneratedCsvFolder(folder, n, Number(arg("--seed", "11")));
    done(folder, fs.statSync(path.join(folder, "Value Entries.csv")).size);
  } else if (file === "" || !SHAPES.includes(shape)) {
    process.stderr.write(
      'usage: node lib/scripts/genLedger.js (--parquet <file> [--shape "few keys"|"mixed keys"|"many keys"] | --csv-folder <folder>) [--entries N] [--seed S]\n'
    );
    process.exitCode = 2;
  } else {
    writeValueEntriesParquet(file, n, shape, Number(arg("--seed", "1"))).then(() =>
      done(file, fs.statSync(file).size)
    );
  }
}
