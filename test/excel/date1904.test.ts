/**
 * A workbook in the 1904 date system (issue 9): its cells hold serials counted from 1904, 1462 days less than
 * the same dates in the 1900 system. The add-in must read and write them as such (it used to read every serial
 * as a 1900 one: dates four years early), like the xlsx adapter does.
 */
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as path from "path";
import { postWorkbook } from "../../src/app/run";
import { serialToIso } from "../../src/excel/cells";
import type { WorkbookModel } from "./fake";
import { modelFromXlsx } from "./fake/xlsx";
import { main, type Io } from "../../src/cli/main";
import { readTable, tempDir } from "../acceptance/formats";
import { portFor } from "./helpers";

const SAMPLE = path.join(__dirname, "..", "..", "samples", "bike-chain.xlsx");

async function sampleModel(date1904: boolean): Promise<WorkbookModel> {
  const model = await modelFromXlsx(ExcelJS, fs.readFileSync(SAMPLE));
  if (date1904) {
    // As Excel holds the same workbook switched to 1904 dates: every date cell's serial 1462 less.
    for (const sheet of model.sheets)
      sheet.values.forEach((row, r) =>
        row.forEach((v, c) => {
          if (typeof v === "number" && /yy/.test(sheet.format(r, c))) sheet.set(r, c, v - 1462);
        })
      );
    model.date1904 = true;
  }
  return model;
}

/** The G/L entries the run wrote: posting date as ISO in the model's system, account, amount. */
function glEntries(model: WorkbookModel): string[] {
  const t = model.tables.find((x) => x.name === "GLEntries")!;
  const sheet = t.sheet;
  const header = sheet.values[t.box.row].slice(t.box.col, t.box.col + t.box.colCount).map(String);
  const [d, a, m] = ["Posting Date", "G/L Account No.", "Amount"].map((h) => header.indexOf(h));
  const out: string[] = [];
  for (let r = t.box.row + 1; r < t.box.row + t.box.rowCount; r++) {
    const v = (c: number) => sheet.get(r, t.box.col + c);
    out.push(`${serialToIso(v(d) as number, model.date1904)} ${String(v(a))} ${String(v(m))}`);
  }
  return out;
}

test("the fake Excel in the 1904 system posts the same dates as in the 1900 system", async () => {
  const results: string[][] = [];
  for (const date1904 of [false, true]) {
    const model = await sampleModel(date1904);
    const outcome = await postWorkbook(portFor(model), {
      postingMethod: "per Entry",
      documentNo: "",
      post: true,
    });
    expect(outcome.kind).toBe("done");
    results.push(glEntries(model));
  }
  expect(results[1]).toHaveLength(34);
  expect(results[1][0]).toMatch(/^2026-01-05 /);
  expect(results[1]).toEqual(results[0]);
});

test("the xlsx adapter on a 1904-system file posts the sample's dates and writes them in that system", async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(SAMPLE);
  wb.properties.date1904 = true;
  const input = path.join(tempDir("glpost-1904-"), "book.xlsx");
  await wb.xlsx.writeFile(input);
  let err = "";
  const io: Io = { stdout: () => {}, stderr: (s) => void (err += s), tty: false };
  const code = await main(["post", input, "--method", "entry"], io);
  expect([code, err]).toEqual([0, expect.stringContaining("Posted per Entry")]);
  // exceljs reads the file back with its own 1904 handling: the dates must be the sample's.
  const gl = await readTable(input, "xlsx", "G/L Entries");
  expect(gl).toHaveLength(34);
  expect(gl[0]["Posting Date"]).toBe("2026-01-05");
  expect([...new Set(gl.map((g) => g["Posting Date"]))].sort()[0]).toBe("2026-01-05");
});
