/**
 * Undo Last Run in the add-in (issue 11) on a fake Excel workbook holding the bike-chain example, numbers as
 * number cells (as Excel holds them) and one posted cell blank: after Post and Undo every input table is back
 * cell by cell and the ledger tables hold no rows; the ribbon's Post Cost to G/L asks in the pane first
 * (method, document no., how many entries) and writes nothing until confirmed; Undo Last Run takes it back.
 */
import * as fs from "fs";
import * as path from "path";
import { buildWorkbook, excelRunFor, tableValues, type WorkbookModel } from "./fake";
import { installOfficeStub } from "./fake/officeStub";
import { Controller } from "../../src/excel/controller";
import { parseCsv } from "../acceptance/formats";
import { portFor } from "./helpers";

const DIR = path.join(__dirname, "..", "fixtures", "examples", "bike-chain");
const INPUT_TABLES = [
  "ValueEntries",
  "InventoryPostingSetup",
  "GeneralPostingSetup",
  "Items",
  "GLAccounts",
  "Settings",
];

function bikeChain(): { model: WorkbookModel; controller: Controller } {
  const sheets = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".csv") && !f.startsWith("expected"))
    .map((f) => {
      const name = f.slice(0, -4);
      const rows = parseCsv(fs.readFileSync(path.join(DIR, f), "utf8")).map((r, i) =>
        r.map((v): string | number =>
          i > 0 && /^-?\d+(\.\d+)?$/.test(v) && name !== "Settings" ? Number(v) : v
        )
      );
      // Entry 1's Expected Cost Posted to G/L blank (an empty cell): it must come back blank, not 0.
      if (name === "Value Entries") rows[1][rows[0].indexOf("Expected Cost Posted to G/L")] = "";
      return { name, table: name.replace(/[^A-Za-z]/g, ""), rows };
    });
  const model = buildWorkbook(sheets);
  return { model, controller: new Controller({ port: portFor(model), run: excelRunFor(model) }) };
}

const snapshot = (model: WorkbookModel) =>
  Object.fromEntries(INPUT_TABLES.map((t) => [t, tableValues(model, t)]));
const dataRows = (model: WorkbookModel, table: string) =>
  tableValues(model, table)
    .slice(1)
    .filter((r) => r.some((v) => v !== "" && v !== null));

test.each(["per Entry", "per Posting Group"] as const)(
  "Post %s, then Undo Last Run: the workbook is back cell by cell",
  async (method) => {
    const { model, controller: c } = bikeChain();
    const before = snapshot(model);
    expect(
      before.ValueEntries[1][before.ValueEntries[0].indexOf("Expected Cost Posted to G/L")]
    ).toBe("");
    c.setOptions({ postingMethod: method, documentNo: method === "per Entry" ? "" : "INVT-1" });
    const posted = await c.run(true);
    expect(posted?.kind).toBe("done");
    expect(dataRows(model, "GLRegisters")).toHaveLength(1);
    expect(snapshot(model).ValueEntries).not.toEqual(before.ValueEntries);

    const undone = await c.undo();
    expect(undone).toMatchObject({
      kind: "done",
      summary: { registerNo: 1, valueEntriesRestored: 14 },
    });
    if (method === "per Entry") expect(undone).toMatchObject({ summary: { glEntriesRemoved: 34 } });
    expect(c.undoNote).toEqual({
      ok: true,
      text: expect.stringContaining("G/L Register 1 undone"),
    });
    expect(snapshot(model)).toEqual(before);
    for (const t of ["GLEntries", "GLItemLedgerRelation", "GLRegisters", "GLRegisterChanges"])
      expect([t, dataRows(model, t)]).toEqual([t, []]);

    // Posting again gives the first run's numbers (the undone register's entries are gone, so no gap).
    expect(await c.run(true)).toMatchObject({
      kind: "done",
      summary: { registerNo: 1, fromEntryNo: 1 },
    });
  }
);

test("Undo Last Run with nothing posted says so and changes nothing", async () => {
  const { model, controller: c } = bikeChain();
  const before = snapshot(model);
  expect(await c.undo()).toMatchObject({ kind: "refused" });
  expect(c.undoNote).toEqual({ ok: false, text: expect.stringContaining("no run to undo") });
  expect(snapshot(model)).toEqual(before);
});

test("the ribbon: Post Cost to G/L asks in the pane before it writes; Undo Last Run takes the run back", async () => {
  const { model } = bikeChain();
  const before = snapshot(model);
  const stub = installOfficeStub(model);
  jest.resetModules();
  const runtime = await import("../../src/excel/runtime");
  const commands = await import("../../src/excel/commands/commands");
  stub.ready();
  await new Promise((r) => setTimeout(r, 0));
  const c = runtime.getController();
  c.setOptions({ postingMethod: "per Entry" });

  await stub.invoke("postCostToGL");
  // Per Entry, as the pane's options say: 14 value entries as 34 G/L entries (expected-gl-per-entry.csv); nothing written yet.
  expect(commands.lastCommandMessage).toBe(
    "Post 14 value entries per Entry as 34 G/L entries? Undo Last Run takes the run back."
  );
  expect(c.confirmation).toMatchObject({
    postingMethod: "per Entry",
    documentNo: "",
    entries: 14,
    glEntries: 34,
  });
  expect(model.table("GLEntries")).toBeUndefined();
  expect(stub.paneShown).toBe(1);

  c.cancelPost();
  expect(c.confirmation).toBeNull();
  await stub.invoke("postCostToGL");
  const outcome = await c.confirmPost();
  expect(outcome).toMatchObject({ kind: "done", summary: { registerNo: 1, glEntries: 34 } });
  expect(dataRows(model, "GLEntries")).toHaveLength(34);

  await stub.invoke("undoLastRun");
  expect(commands.lastCommandMessage).toContain("G/L Register 1 undone: its 34 G/L entries");
  expect(snapshot(model)).toEqual(before);
  expect(dataRows(model, "GLEntries")).toEqual([]);
});
