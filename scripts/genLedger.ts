/**
 * Generated ledgers for the benchmark (and big-file tests): realistic value entries over a few locations,
 * posting groups and dates, with the setup that posts all of them. Deterministic (seeded).
 */
import * as fs from "fs";
import * as path from "path";
import { ACCOUNT_TYPES } from "../src/engine/accountTypes";
import { DEFAULT_SETTINGS, type PostingInput, type ValueEntry } from "../src/engine/types";

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
  const out = new Array<ValueEntry>(count);
  let i = 0;
  for (const e of valueEntriesOf(count, seed, firstDay, days)) out[i++] = e;
  return out;
}

/** generateValueEntries one entry at a time (a file of millions is written without holding them). */
export function* valueEntriesOf(
  count: number,
  seed = 1,
  firstDay = 20454 /* 2026-01-01 */,
  days = 28
): Generator<ValueEntry> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  for (let i = 0; i < count; i++) {
    const [ile, et, vt, ot, expected] = pick(KINDS);
    const cents = Math.floor(r() * 2000000) - 500000;
    const capacity = ile === "";
    const dims = Math.floor(r() * DIM_VALUES.length);
    yield {
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
  }
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

/** The Value Entries columns of a generated CSV folder, and each entry's cells in them. */
export const VALUE_ENTRY_CSV_COLUMNS = [
  "Entry No.",
  "Posting Date",
  "Item No.",
  "Item Ledger Entry Type",
  "Entry Type",
  "Variance Type",
  "Expected Cost",
  "Location Code",
  "Inventory Posting Group",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
  "Source Type",
  "Source No.",
  "Order Type",
  "Order No.",
  "Document No.",
  "Cost Amount (Actual)",
  "Cost Amount (Expected)",
  "Cost Posted to G/L",
  "Expected Cost Posted to G/L",
  "Dimension Set ID",
  "Global Dimension 1 Code",
];

const money = (c: number) => (c / 100).toFixed(2);
const iso = (day: number) => new Date(day * 86400000).toISOString().slice(0, 10);

export function valueEntryCsvCells(e: ValueEntry): (string | number)[] {
  return [
    e.entryNo,
    iso(e.postingDate),
    e.itemNo,
    e.itemLedgerEntryType,
    e.entryType,
    e.varianceType,
    e.expectedCost ? "Yes" : "No",
    e.locationCode,
    e.inventoryPostingGroup,
    e.genBusPostingGroup,
    e.genProdPostingGroup,
    e.sourceType,
    e.sourceNo,
    e.orderType,
    e.orderNo,
    e.documentNo,
    money(e.costAmountActual),
    money(e.costAmountExpected),
    money(e.costPostedToGL),
    money(e.expectedCostPostedToGL),
    e.dimensionSetId,
    e.globalDimension1Code,
  ];
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
    for (const e of valueEntriesOf(entries, seed)) {
      block.push(valueEntryCsvCells(e).join(","));
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
