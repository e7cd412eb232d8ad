/**
 * Issue 8, point 17: a column that appears twice (loosely the same name, or the caption beside an alias) is an
 * input error naming both; which copy holds the right value cannot be known (the second may be stale).
 */
import { CsvFolderWorkbook } from "../../src/files/csv";
import { MemoryWorkbook } from "./memory";
import { formatInputError } from "../../src/workbook/inputErrors";
import { readPostingInput } from "../../src/workbook/read";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const T = MemoryWorkbook.table;
const SETUP = {
  "Inventory Posting Setup": T(
    ["Location Code", "Invt. Posting Group Code", "Inventory Account"],
    ["BLUE", "RESALE", "2130"]
  ),
  "General Posting Setup": T(
    ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group", "Direct Cost Applied Account"],
    ["DOMESTIC", "RETAIL", "7291"]
  ),
};
const BASE = [
  "Entry No.",
  "Posting Date",
  "Item Ledger Entry Type",
  "Entry Type",
  "Location Code",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
  "Cost Amount (Actual)",
];

test("the same column twice, spelled alike or by an alias, is refused naming both", async () => {
  const r = await readPostingInput(
    new MemoryWorkbook({
      "Value Entries": T(
        [
          ...BASE,
          "Inventory Posting Group",
          "Cost Posted to G/L",
          "Invt. Posting Group",
          "cost_posted_to_gl",
        ],
        [
          1,
          "2026-01-05",
          "Purchase",
          "Direct Cost",
          "BLUE",
          "DOMESTIC",
          "RETAIL",
          "70",
          "RESALE",
          "0",
          "RESALE",
          "70",
        ]
      ),
      ...SETUP,
    })
  );
  expect(r.input).toBeNull();
  expect(r.errors.map(formatInputError)).toEqual([
    'Value Entries, column "Invt. Posting Group": the columns "Inventory Posting Group" and "Invt. Posting Group" are both Inventory Posting Group; keep one of them (which one holds the right value cannot be told).',
    'Value Entries, column "cost_posted_to_gl": the columns "Cost Posted to G/L" and "cost_posted_to_gl" are both Cost Posted to G/L; keep one of them (which one holds the right value cannot be told).',
  ]);
});

test("in a CSV file too; an unknown column twice is kept as it is", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glpost-dup-"));
  fs.writeFileSync(
    path.join(dir, "Value Entries.csv"),
    `${BASE.join(",")},Inventory Posting Group,Cost Posted to G/L,Note,Note\n1,2026-01-05,Purchase,Direct Cost,BLUE,DOMESTIC,RETAIL,70,RESALE,0,a,b\n`
  );
  fs.writeFileSync(
    path.join(dir, "Inventory Posting Setup.csv"),
    "Location Code,Invt. Posting Group Code,Inventory Account\nBLUE,RESALE,2130\n"
  );
  fs.writeFileSync(
    path.join(dir, "General Posting Setup.csv"),
    "Gen. Bus. Posting Group,Gen. Prod. Posting Group,Direct Cost Applied Account\nDOMESTIC,RETAIL,7291\n"
  );
  const ok = await readPostingInput(await CsvFolderWorkbook.open(dir));
  expect(ok.errors).toEqual([]);
  fs.writeFileSync(
    path.join(dir, "Value Entries.csv"),
    `${BASE.join(",")},Inventory Posting Group,Cost Posted to G/L,Cost Posted to G/L\n1,2026-01-05,Purchase,Direct Cost,BLUE,DOMESTIC,RETAIL,70,RESALE,0,70\n`
  );
  const dup = await readPostingInput(await CsvFolderWorkbook.open(dir));
  expect(dup.errors.map((e) => [e.table, e.column])).toEqual([
    ["Value Entries", "Cost Posted to G/L"],
  ]);
});
