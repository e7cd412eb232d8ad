/** Shared fixtures for the Excel adapter tests. */
import { ExcelWorkbookPort } from "../../src/excel/adapter";
import { excelRunFor, type WorkbookModel } from "./fake";
import type { ColumnSpec, OutputTableNames } from "../../src/workbook/port";

export const VALUE_ENTRY_COLUMNS = [
  "Entry No.",
  "Item No.",
  "Posting Date",
  "Item Ledger Entry Type",
  "Entry Type",
  "Variance Type",
  "Expected Cost",
  "Inventoriable",
  "Location Code",
  "Inventory Posting Group",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
  "Source Type",
  "Source No.",
  "Order Type",
  "Order No.",
  "Document No.",
  "External Document No.",
  "Cost Amount (Actual)",
  "Cost Amount (Expected)",
  "Cost Posted to G/L",
  "Expected Cost Posted to G/L",
  "Cost Amount (Actual) (ACY)",
  "Cost Amount (Expected) (ACY)",
  "Cost Posted to G/L (ACY)",
  "Exp. Cost Posted to G/L (ACY)",
  "Dimension Set ID",
  "Global Dimension 1 Code",
  "Global Dimension 2 Code",
  "Item Ledger Entry No.",
  "Description",
];

/** A value entry row as an export would have it: 31 columns. */
export function valueEntryRow(i: number): (string | number | boolean | null)[] {
  const types = ["Purchase", "Sale", "Positive Adjmt.", "Negative Adjmt."];
  return [
    i,
    `ITEM-${1000 + (i % 500)}`,
    46023 + (i % 28),
    types[i % 4],
    "Direct Cost",
    null,
    "No",
    "Yes",
    "BLUE",
    "RESALE",
    "DOMESTIC",
    "RETAIL",
    "Vendor",
    `V${10000 + (i % 50)}`,
    null,
    null,
    `PINV-${100000 + i}`,
    null,
    ((i % 997) + 1) * 1.25,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    "SALES",
    null,
    i,
    `Purchase of item ${i}`,
  ];
}

export const GL_ENTRY_COLUMNS: ColumnSpec[] = [
  ["Entry No.", "integer"],
  ["Posting Date", "date"],
  ["Document No.", "text"],
  ["External Document No.", "text"],
  ["G/L Account No.", "text"],
  ["G/L Account Name", "text"],
  ["Description", "text"],
  ["Amount", "money"],
  ["Debit Amount", "money"],
  ["Credit Amount", "money"],
  ["Additional-Currency Amount", "money"],
  ["Source Code", "text"],
  ["System-Created Entry", "boolean"],
  ["Transaction No.", "integer"],
  ["G/L Register No.", "integer"],
  ["Inventory Account Type", "text"],
  ["Bal. Account Type", "text"],
  ["Location Code", "text"],
  ["Inventory Posting Group", "text"],
  ["Gen. Bus. Posting Group", "text"],
  ["Gen. Prod. Posting Group", "text"],
  ["Dimension Set ID", "integer"],
  ["Global Dimension 1 Code", "text"],
  ["Global Dimension 2 Code", "text"],
].map(([name, format]) => ({ name, format }) as ColumnSpec);

export const GL_ENTRIES: OutputTableNames = {
  name: "G/L Entries",
  sheetName: "G-L Entries",
  excelTableName: "GLEntries",
  csvName: "G-L Entries",
};
export const GL_REGISTERS: OutputTableNames = {
  name: "G/L Registers",
  sheetName: "G-L Registers",
  excelTableName: "GLRegisters",
  csvName: "G-L Registers",
};
export const SKIPPED: OutputTableNames = {
  name: "Skipped Entries",
  sheetName: "Skipped Entries",
  excelTableName: "SkippedEntries",
  csvName: "Skipped Entries",
};

export function glEntryRow(i: number): (string | number | boolean | null)[] {
  const amount = ((i % 2 ? -1 : 1) * ((i % 997) + 1) * 1.25).toFixed(2);
  const debit = amount.startsWith("-") ? "0.00" : amount;
  const credit = amount.startsWith("-") ? amount.slice(1) : "0.00";
  return [
    i,
    "2026-01-15",
    "INVT-2026-01",
    null,
    i % 2 ? "2130" : "7290",
    i % 2 ? "Inventory" : "Inventory Adjmt.",
    "Inventory - Inventory Adjmt., BLUE,RESALE,DOMESTIC,RETAIL",
    amount,
    debit,
    credit,
    "0.00",
    "INVTPCOST",
    true,
    1,
    1,
    "Inventory",
    "Inventory Adjmt.",
    "BLUE",
    "RESALE",
    "DOMESTIC",
    "RETAIL",
    0,
    "SALES",
    null,
  ];
}

export function portFor(model: WorkbookModel, payloadBudget?: number): ExcelWorkbookPort {
  return new ExcelWorkbookPort({ run: excelRunFor(model), payloadBudget, supports: () => true });
}
