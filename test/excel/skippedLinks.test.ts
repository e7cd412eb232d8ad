/**
 * The task pane's skipped-entry links (Controller.selectRowWhere, RunSummary.skipped[].setupRow) on the fake
 * Excel: a blocked General Posting Setup row skips the entries that need it; each skipped entry names that
 * row, and the links select the entry's Value Entries row and the setup row (by its key, not its position).
 */
import * as fs from "fs";
import * as path from "path";
import { buildWorkbook, excelRunFor } from "./fake";
import { ExcelWorkbookPort } from "../../src/excel/adapter";
import { Controller } from "../../src/excel/controller";
import { csvRecords, EXAMPLES } from "../acceptance/formats";

test("skipped entries name the setup row; the links select it and the value entry row", async () => {
  const dir = path.join(EXAMPLES, "fifo-purchase-sale");
  const sheets = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".csv") && !f.startsWith("expected"))
    .map((f) => {
      const rows = csvRecords(path.join(dir, f));
      const header = Object.keys(rows[0]);
      return {
        name: f.slice(0, -4),
        rows: [header, ...rows.map((r) => header.map((h) => r[h] || null))] as (string | null)[][],
      };
    });
  // General Posting Setup: another row first (EXPORT RETAIL), then DOMESTIC RETAIL blocked (sheet row 3).
  const gps = sheets.find((s) => s.name === "General Posting Setup")!;
  const domestic = gps.rows[1];
  gps.rows = [
    [...gps.rows[0], "Blocked"],
    ["EXPORT", ...domestic.slice(1), "No"],
    [...domestic, "Yes"],
  ];

  const model = buildWorkbook(sheets);
  const run = excelRunFor(model);
  const port = new ExcelWorkbookPort({ run, supports: () => true });
  const c = new Controller({ port, run });
  await c.init();
  c.setOptions({ postingMethod: "per Entry" });
  const out = await c.run(false);
  expect(out?.kind).toBe("done");
  const skipped = out!.kind === "done" ? out!.summary.skipped : [];
  // Every entry of the example is DOMESTIC RETAIL, so every one is skipped for the blocked row.
  expect(skipped.length).toBeGreaterThan(0);
  for (const k of skipped) {
    expect(k.reasonCode).toBe("GENERAL_POSTING_SETUP_BLOCKED");
    expect(k.setupRow).toEqual({
      table: "General Posting Setup",
      columns: ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group"],
      values: ["DOMESTIC", "RETAIL"],
    });
  }

  const setup = skipped[0].setupRow!;
  expect(await c.selectRowWhere(setup.table, setup.columns, setup.values)).toMatch(
    /General Posting Setup'?!A3:[A-Z]+3$/
  );
  // Codes compare as BC's do: case and surrounding blanks do not matter.
  expect(await c.selectRowWhere(setup.table, setup.columns, [" domestic", "retail "])).toMatch(
    /!A3:[A-Z]+3$/
  );
  // A missing row: the whole table, where one is added.
  expect(await c.selectRowWhere(setup.table, setup.columns, ["DOMESTIC", "WHOLESALE"])).toMatch(
    /!A1:[A-Z]+3$/
  );

  // Value entry 2 is the second data row of Value Entries: sheet row 3.
  const second = skipped.find((k) => k.entryNo === 2)!;
  expect(await c.selectRowWhere("Value Entries", ["Entry No."], [second.entryNo])).toMatch(
    /Value Entries'?!A3:[A-Z]+3$/
  );
});
