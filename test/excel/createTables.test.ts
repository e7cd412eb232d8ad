/**
 * Issue 12: when required tables are missing, the task pane offers "Create the missing tables" (instead of
 * errors that lead nowhere): each is created empty with its columns, as glpost init makes them, and the next
 * run reads them.
 */
import { ExcelWorkbookPort } from "../../src/excel/adapter";
import { buildWorkbook, excelRunFor } from "./fake";
import { Controller } from "../../src/excel/controller";
import { isMissingTableError } from "../../src/workbook/inputErrors";
import { readPostingInput } from "../../src/workbook/read";
import { INVENTORY_POSTING_SETUP } from "../../src/workbook/schema";

test("a workbook with only Value Entries: the run names the two missing setups; creating them gives empty tables the run reads", async () => {
  const header = [
    "Entry No.",
    "Posting Date",
    "Item Ledger Entry Type",
    "Entry Type",
    "Location Code",
    "Inventory Posting Group",
    "Gen. Bus. Posting Group",
    "Gen. Prod. Posting Group",
    "Cost Amount (Actual)",
    "Cost Posted to G/L",
  ];
  const model = buildWorkbook([
    {
      name: "Value Entries",
      rows: [
        header,
        [1, 46027, "Purchase", "Direct Cost", "BLUE", "RESALE", "DOMESTIC", "RETAIL", 70, 0],
      ],
    },
  ]);
  const run = excelRunFor(model);
  const port = new ExcelWorkbookPort({ run, supports: () => true });
  const c = new Controller({ port, run });
  await c.init();
  c.setOptions({ postingMethod: "per Entry" });
  const first = await c.run(true);
  expect(first?.kind).toBe("inputErrors");
  const missing =
    first!.kind === "inputErrors"
      ? first!.errors.filter(isMissingTableError).map((e) => e.table)
      : [];
  expect(missing).toEqual(["Inventory Posting Setup", "General Posting Setup"]);

  await c.createMissingTables();
  expect(c.repairNote).toEqual({
    ok: true,
    text: expect.stringContaining(
      'Created "Inventory Posting Setup", "General Posting Setup" with their columns and no rows'
    ),
  });
  // Excel tables with every column of the schema.
  const ips = model.tables.find((t) => t.name === "InventoryPostingSetup")!;
  expect(ips).toBeDefined();
  expect(ips.sheet.values[ips.box.row].slice(ips.box.col, ips.box.col + ips.box.colCount)).toEqual(
    INVENTORY_POSTING_SETUP.columns.map((col) => col.name)
  );
  expect(model.tables.some((t) => t.name === "GeneralPostingSetup")).toBe(true);
  const read = await readPostingInput(port);
  expect(read.errors.filter(isMissingTableError)).toEqual([]);
  expect(read.input!.generalPostingSetup).toEqual([]);

  // Nothing missing any more: a second click makes nothing.
  await c.createMissingTables();
  expect(c.repairNote).toEqual({ ok: true, text: "No required table is missing." });
});
