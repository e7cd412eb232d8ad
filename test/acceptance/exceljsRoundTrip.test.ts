/**
 * Excel leaves out headerRowCount when it is 1 (the default); exceljs then rewrites every such table it read
 * with headerRowCount="0", its header text now the table's first row (a common Node pipeline). The next run
 * must still see that row as the header: it appends after the existing G/L entries and continues the numbering
 * instead of failing on "No." as a number.
 */
import ExcelJS from "exceljs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { exampleIn, readTable } from "./formats";

async function glpost(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    tty: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** What saving in Excel does to table parts here: the default headerRowCount="1" is left out. */
function saveAsExcelWould(file: string): void {
  const parts = unzipSync(fs.readFileSync(file));
  for (const name of Object.keys(parts))
    if (/^xl\/tables\/table\d+\.xml$/.test(name))
      parts[name] = strToU8(strFromU8(parts[name]).replace(/ headerRowCount="1"/, ""));
  fs.writeFileSync(file, zipSync(parts));
}

test("a run after an exceljs round trip continues the ledger", async () => {
  const input = await exampleIn("fifo-purchase-sale", "xlsx");
  expect((await glpost("post", input, "--method", "entry")).code).toBe(0);
  saveAsExcelWould(input);

  // Round trip through exceljs, changing entry 1's cost from 70 to 75 on the way.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(input);
  const ve = wb.getWorksheet("Value Entries")!;
  const costCol = (ve.getRow(1).values as ExcelJS.CellValue[]).indexOf("Cost Amount (Actual)");
  ve.getCell(2, costCol).value = 75;
  const resaved = path.join(path.dirname(input), "resaved.xlsx");
  await wb.xlsx.writeFile(resaved);
  expect(strFromU8(unzipSync(fs.readFileSync(resaved))["xl/tables/table1.xml"])).toContain(
    'headerRowCount="0"'
  );

  const r = await glpost("post", resaved, "--method", "entry", "--json");
  expect(r.stderr).not.toMatch(/input error/);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    glEntries: 2,
    registerNo: 2,
    fromEntryNo: 7,
    toEntryNo: 8,
  });
  const gl = await readTable(resaved, "xlsx", "G/L Entries");
  expect(gl.map((g) => [g["Entry No."], g["G/L Account No."], g["Amount"]])).toEqual([
    ["1", "2130", "70"],
    ["2", "7291", "-70"],
    ["3", "2130", "10"],
    ["4", "7292", "-10"],
    ["5", "2130", "-80"],
    ["6", "7290", "80"],
    ["7", "2130", "5"],
    ["8", "7291", "-5"],
  ]);
});
