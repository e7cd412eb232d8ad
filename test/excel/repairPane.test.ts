/**
 * Repair in the task pane (Controller.repair, app/repair.ts) on the fake Excel: a run whose register row was
 * never written is refused with the error the pane offers Repair beside; Repair completes it; the next post
 * posts nothing twice.
 */
import * as fs from "fs";
import * as path from "path";
import { buildWorkbook, excelRunFor } from "./fake";
import { ExcelWorkbookPort } from "../../src/excel/adapter";
import { Controller } from "../../src/excel/controller";
import { isInterruptedRunError } from "../../src/workbook/ledgerState";
import { csvRecords, EXAMPLES } from "../acceptance/formats";

test("the pane refuses an interrupted run, offers Repair, and Repair completes it", async () => {
  const dir = path.join(EXAMPLES, "fifo-purchase-sale");
  const sheets = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".csv") && !f.startsWith("expected"))
    .map((f) => {
      const rows = csvRecords(path.join(dir, f));
      const header = Object.keys(rows[0]);
      return {
        name: f.slice(0, -4),
        rows: [header, ...rows.map((r) => header.map((h) => r[h] || null))],
      };
    });
  const model = buildWorkbook(sheets);
  const run = excelRunFor(model);
  const port = new ExcelWorkbookPort({ run, supports: () => true });
  const c = new Controller({ port, run });
  await c.init();
  c.setOptions({ postingMethod: "per Entry" });
  const first = await c.run(true);
  expect(first).toMatchObject({ kind: "done", summary: { registerNo: 1 } });
  const glEntries = first!.kind === "done" ? first!.summary.glEntries : 0;

  // The run stopped just before its last write, the register row.
  const regs = (await port.listTables()).find((r) => /registers/i.test(r.name))!;
  await port.write([{ kind: "delete", table: regs, rows: [0] }], null);
  const refused = await c.run(true);
  expect(refused?.kind).toBe("inputErrors");
  const errors = refused!.kind === "inputErrors" ? refused!.errors : [];
  expect(errors.filter(isInterruptedRunError)).toHaveLength(1);

  await c.repair();
  expect(c.repairNote).toEqual({
    ok: true,
    text: expect.stringContaining(`G/L Register 1 completed: its ${glEntries} G/L entries kept`),
  });
  const again = await c.run(true);
  expect(again).toMatchObject({ kind: "done", summary: { glEntries: 0, registerNo: null } });
  expect(c.repairNote).toBeNull();
});
