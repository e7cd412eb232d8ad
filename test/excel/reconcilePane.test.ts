/**
 * Reconcile and Trace in the task pane (Controller) on a fake Excel workbook holding the bike-chain example:
 * before posting every difference is unposted cost, after the pane's Post none; the tables are written as
 * Excel tables; Trace follows the relation rows; the ribbon's Reconcile command runs the same.
 */
import * as fs from "fs";
import * as path from "path";
import { buildWorkbook, excelRunFor, tableValues } from "./fake";
import { installOfficeStub } from "./fake/officeStub";
import { Controller } from "../../src/excel/controller";
import { parseCsv } from "../acceptance/formats";
import { portFor } from "./helpers";

const DIR = path.join(__dirname, "..", "fixtures", "examples", "bike-chain");

function bikeChain() {
  const sheets = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".csv") && !f.startsWith("expected"))
    .map((f) => {
      const name = f.slice(0, -4);
      return {
        name,
        table: name.replace(/[^A-Za-z]/g, ""),
        rows: parseCsv(fs.readFileSync(path.join(DIR, f), "utf8")) as (string | number | null)[][],
      };
    });
  const model = buildWorkbook(sheets);
  return { model, controller: new Controller({ port: portFor(model), run: excelRunFor(model) }) };
}

test("Reconcile before and after Post, then Trace", async () => {
  const { model, controller: c } = bikeChain();
  const before = await c.reconcile();
  expect(c.reconciliation.message).toMatch(/sum of the absolute differences 670\.00/);
  expect(before!.explanations.map((x) => x.cause)).toEqual(Array(7).fill("NOT_POSTED_ACTUAL"));
  const matrix = tableValues(model, "InventoryGLReconciliation");
  expect(matrix[0]).toEqual([
    "Row",
    "Inventory",
    "Inventory (Interim)",
    "WIP Inventory",
    "Total",
    "G/L Total",
    "Difference",
    "Warning",
  ]);
  const dca = matrix.find((r) => r[0] === "Direct Cost Applied")!;
  expect([dca[1], dca[3], dca[4], dca[6], dca[7]]).toEqual([
    -165,
    -120,
    -285,
    285,
    "Post Cost to G/L",
  ]);
  expect(
    tableValues(model, "ReconciliationDetail")
      .filter((r) => r[0] === "Direct Cost Applied / Total")
      .map((r) => [r[1], r[2], r[3]])
  ).toEqual([
    ["Value Entry", 2, -165],
    ["Value Entry", 8, -120],
  ]);

  c.setOptions({ postingMethod: "per Entry" });
  const posted = await c.run(true);
  expect(posted?.kind).toBe("done");
  const after = await c.reconcile();
  expect(after!.explanations).toEqual([]);
  expect(c.reconciliation.message).toBe("No difference: the inventory ledger and the G/L agree.");

  const t = await c.trace({ valueEntryNo: 11 });
  expect(t!.glEntries.map((g) => g.entryNo)).toEqual([25, 26, 27, 28]);
  expect(await c.trace({ glEntryNo: 999 })).toBeNull();
  expect(c.traced.message).toBe("G/L Entries has no entry 999.");
});

test("the ribbon Reconcile command runs the pane's reconciliation in the shared runtime", async () => {
  const { model } = bikeChain();
  const stub = installOfficeStub(model);
  jest.resetModules();
  await import("../../src/excel/runtime");
  const commands = await import("../../src/excel/commands/commands");
  stub.ready();
  await new Promise((r) => setTimeout(r, 0));
  await stub.invoke("reconcile");
  expect(commands.lastCommandMessage).toBe(
    "Reconciled: 7 explained difference(s), sum of the absolute differences 670.00."
  );
  expect(stub.paneShown).toBe(1);
  expect(tableValues(model, "InventoryGLReconciliation").length).toBeGreaterThan(18);
});
