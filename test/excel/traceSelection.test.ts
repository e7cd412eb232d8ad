/**
 * Trace on the selected row, on a fake Excel workbook holding the posted bike-chain example: the active row of
 * G/L Entries or Value Entries is the start, and every related entry comes with its sheet row.
 */
import * as fs from "fs";
import * as path from "path";
import { postWorkbook } from "../../src/app/run";
import { buildWorkbook, excelRunFor } from "./fake";
import { addressRow, traceSelection } from "../../src/excel/traceSelection";
import { parseCsv } from "../acceptance/formats";
import { portFor } from "./helpers";

const DIR = path.join(__dirname, "..", "fixtures", "examples", "bike-chain");

async function postedBikeChain() {
  const sheets = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".csv") && !f.startsWith("expected"))
    .map((f) => ({
      name: f.slice(0, -4),
      table: f.slice(0, -4).replace(/[^A-Za-z]/g, ""),
      rows: parseCsv(fs.readFileSync(path.join(DIR, f), "utf8")) as (string | number | null)[][],
    }));
  const model = buildWorkbook(sheets);
  const port = portFor(model);
  const posted = await postWorkbook(port, {
    postingMethod: "per Entry",
    documentNo: "",
    post: true,
  });
  expect(posted.kind).toBe("done");
  return { model, port };
}

test("addresses as Excel gives them", () => {
  expect(addressRow("'GL Entries'!B5:C7")).toEqual({ sheet: "GL Entries", row: 5 });
  expect(addressRow("Sheet1!$A$12")).toEqual({ sheet: "Sheet1", row: 12 });
  expect(addressRow("'Bob''s'!A2")).toEqual({ sheet: "Bob's", row: 2 });
  expect(addressRow("A1")).toBeNull();
});

test("the selected Value Entries row traces to its G/L entries, each with its sheet row", async () => {
  const { model, port } = await postedBikeChain();
  // Value entry 11 is the 11th data row: sheet row 12.
  model.selection = {
    sheet: model.sheet("Value Entries")!,
    box: { row: 11, col: 3, rowCount: 1, colCount: 1 },
  };
  const t = await traceSelection(excelRunFor(model), port);
  if (t.kind !== "done") throw new Error(JSON.stringify(t));
  expect(t.start).toEqual({ valueEntryNo: 11 });
  expect(t.result.glEntries.map((g) => [g.entryNo, t.glRows.get(g.entryNo)])).toEqual([
    [25, 26],
    [26, 27],
    [27, 28],
    [28, 29],
  ]);
});

test("a selected G/L entry row traces back to its value entry; another row says what to select", async () => {
  const { model, port } = await postedBikeChain();
  const glSheet = model.sheets.find((s) => /g\W*l\W*entries/i.test(s.name))!;
  model.selection = { sheet: glSheet, box: { row: 13, col: 0, rowCount: 1, colCount: 3 } };
  const t = await traceSelection(excelRunFor(model), port);
  if (t.kind !== "done") throw new Error(JSON.stringify(t));
  expect(t.start).toEqual({ glEntryNo: 13 });
  expect(t.result.valueEntries.map((e) => [e.entryNo, t.valueRows.get(e.entryNo)])).toEqual([
    [6, 7],
  ]);
  model.selection = {
    sheet: model.sheet("Settings")!,
    box: { row: 1, col: 0, rowCount: 1, colCount: 1 },
  };
  const none = await traceSelection(excelRunFor(model), port);
  expect(none).toMatchObject({
    kind: "notAnEntry",
    message: expect.stringMatching(/Select a row of the G\/L Entries or the Value Entries table/),
  });
});

test("the pane's traceSelected keeps the rows for the pane to select", async () => {
  const { model, port } = await postedBikeChain();
  const { Controller } = await import("../../src/excel/controller");
  const c = new Controller({ port, run: excelRunFor(model) });
  model.selection = {
    sheet: model.sheet("Value Entries")!,
    box: { row: 2, col: 0, rowCount: 1, colCount: 1 },
  };
  expect(await c.traceSelected()).toBe(
    "value entry 2: 4 G/L entries and 1 value entries are linked."
  );
  expect(
    [...c.traced.rows!.gl.entries()]
      .filter(([no]) => c.traced.result!.glEntries.some((g) => g.entryNo === no))
      .map(([no, row]) => [no, row])
  ).toEqual([
    [3, 4],
    [4, 5],
    [5, 6],
    [6, 7],
  ]);
});
