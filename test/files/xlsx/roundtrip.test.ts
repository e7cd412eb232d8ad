import { XlsxBook } from "../../../src/files/xlsx";
import { readZip } from "../../../src/files/xlsx/zip";
import { POSTED, postingWorkbook } from "./fixtures";
import { assertWellFormed, loadExcel, unzip } from "./helpers";

describe("untouched parts stay as they were", () => {
  test("no writes: the bytes come back unchanged", async () => {
    const bytes = await postingWorkbook();
    const book = XlsxBook.fromBytes(bytes);
    expect(book.toBytes([])).toBe(bytes);
  });

  test("an update rewrites only its sheet; every other entry is copied with the same compressed bytes", async () => {
    const bytes = await postingWorkbook();
    const book = XlsxBook.fromBytes(bytes);
    const [ve] = await book.listTables();
    const out = book.toBytes([
      {
        kind: "update",
        table: ve,
        columns: POSTED,
        updates: [{ row: 1, values: ["12.30", "0.00"] }],
      },
    ]);

    const before = new Map(readZip(bytes).map((e) => [e.name, e]));
    const after = readZip(out);
    expect(after.map((e) => e.name)).toEqual([...before.keys()]);
    const changed: string[] = [];
    for (const e of after) {
      const b = before.get(e.name)!;
      const same = Buffer.from(e.raw).equals(Buffer.from(b.raw)) && e.crc === b.crc;
      if (!same) changed.push(e.name);
    }
    // The sheet and styles.xml (a new cell format for the written amounts, if needed) may change, and
    // workbook.xml gains fullCalcOnLoad (the workbook has a formula); nothing else.
    expect(changed.filter((n) => n !== "xl/styles.xml")).toEqual([
      "xl/worksheets/sheet1.xml",
      "xl/workbook.xml",
    ]);
    expect(Buffer.from(unzip(out)["xl/workbook.xml"]).toString("utf8")).toMatch(
      /<calcPr[^>]*fullCalcOnLoad="1"/
    );

    // Content of everything else is byte-identical after decompression too.
    const ub = unzip(bytes);
    const ua = unzip(out);
    for (const name of Object.keys(ub)) {
      if (
        name === "xl/worksheets/sheet1.xml" ||
        name === "xl/styles.xml" ||
        name === "xl/workbook.xml"
      )
        continue;
      expect(Buffer.from(ua[name]).equals(Buffer.from(ub[name]))).toBe(true);
    }
    assertWellFormed(out);
  });

  test("exceljs reads the rewritten workbook with everything else intact", async () => {
    const bytes = await postingWorkbook();
    const book = XlsxBook.fromBytes(bytes);
    const [ve] = await book.listTables();
    const out = book.toBytes([
      {
        kind: "update",
        table: ve,
        columns: POSTED,
        updates: [{ row: 0, values: ["100.50", "0.00"] }],
      },
    ]);
    const wb = await loadExcel(out);
    const setup = wb.getWorksheet("Setup")!;
    expect(setup.getCell("B3").value).toEqual({ formula: "B2*2", result: 2.5 });
    expect(setup.getCell("D1").isMerged).toBe(true);
    expect(wb.definedNames.getRanges("Rate").ranges).toEqual(["Setup!$B$2"]);
    expect(wb.getWorksheet("Value Entries")!.getColumn(2).width).toBe(20);
  });
});
