import { zipSync } from "fflate";
import { colName, formatRange, parseCellRef, parseRange } from "../../../src/files/xlsx/cellRef";
import {
  canonicalDecimal,
  isoDateToSerial,
  renderCell,
  toContent,
} from "../../../src/files/xlsx/cellValues";
import { sanitizeSheetName, sanitizeTableName, uniqueName } from "../../../src/files/xlsx/names";
import { looseName } from "../../../src/workbook/names";
import { relativeTarget, resolveTarget } from "../../../src/files/xlsx/opc";
import { isDateFormatCode, moneyFormat } from "../../../src/files/xlsx/styles";
import { accountingFormat } from "../../../src/excel/cells";
import { decodeXstring, encodeXstring, setAttr } from "../../../src/files/xlsx/xml";
import { crc32, entryData, readZip, writeZip } from "../../../src/files/xlsx/zip";

describe("numbers and dates", () => {
  test.each([
    ["165.00", "165", 2],
    ["-0.05", "-0.05", 2],
    ["-0.00", "0", 2],
    ["007.50", "7.5", 2],
    ["+12", "12", 0],
    ["1234567890123456789.123", "1234567890123456789.123", 3],
    [".5", "0.5", 1],
  ])("canonicalDecimal(%s) = %s with %d decimals", (input, text, decimals) => {
    expect(canonicalDecimal(input)).toEqual({ text, decimals });
  });

  test.each(["1,234.50", "1e3", "", "-", "abc", "1.2.3"])(
    "canonicalDecimal rejects %p",
    (input) => {
      expect(canonicalDecimal(input)).toBeNull();
    }
  );

  test("ISO dates to serials, including the 1900 leap-year bug and the 1904 system", () => {
    expect(isoDateToSerial("2026-01-31", false)).toBe(46053);
    expect(isoDateToSerial("1900-03-01", false)).toBe(61);
    expect(isoDateToSerial("1900-01-01", false)).toBe(1);
    expect(isoDateToSerial("1904-01-02", true)).toBe(1);
    expect(isoDateToSerial("2026-02-30", false)).toBeNull();
    expect(isoDateToSerial("31.01.2026", false)).toBeNull();
  });

  test("cell content per format", () => {
    expect(toContent("money", "165.00", "A", false)).toEqual({
      kind: "number",
      text: "165",
      decimals: 2,
    });
    expect(toContent("money", 1.5, "A", false)).toEqual({
      kind: "number",
      text: "1.5",
      decimals: 2,
    });
    expect(toContent("integer", 42, "A", false)).toEqual({
      kind: "number",
      text: "42",
      decimals: 0,
    });
    expect(toContent("date", "2026-01-31", "A", false)).toEqual({ kind: "number", text: "46053" });
    expect(toContent("boolean", true, "A", false)).toEqual({ kind: "text", text: "Yes" });
    expect(toContent("boolean", false, "A", false)).toEqual({ kind: "text", text: "No" });
    // A time is Excel's time value (10:15 = 0.4270833... of a day), as the add-in writes it; other text stays text.
    expect(toContent("time", "10:15:00", "A", false)).toEqual({
      kind: "number",
      text: String((10 * 3600 + 15 * 60) / 86400),
    });
    expect(toContent("time", "25:00", "A", false)).toEqual({ kind: "text", text: "25:00" });
    expect(toContent("text", null, "A", false)).toEqual({ kind: "empty" });
    expect(() => toContent("date", "31/01/2026", "Posting Date", false)).toThrow(/Posting Date/);
    expect(() => toContent("money", Number.NaN, "Amount", false)).toThrow(/Amount/);
  });

  test("inline strings escape XML and keep spaces", () => {
    expect(renderCell("", "A1", 0, { kind: "text", text: " a<b>&c " })).toBe(
      '<c r="A1" t="inlineStr"><is><t xml:space="preserve"> a&lt;b&gt;&amp;c </t></is></c>'
    );
    expect(renderCell("x", "B2", 3, { kind: "number", text: "-1" })).toBe(
      '<x:c r="B2" s="3"><x:v>-1</x:v></x:c>'
    );
    expect(renderCell("", "B2", 0, { kind: "empty" })).toBeNull();
  });
});

describe("text escapes", () => {
  test("_xHHHH_ round trip, literal _x0041_ and control characters", () => {
    for (const s of [
      "plain",
      "a_x0041_b",
      "tab\tnew\nline",
      "cr\r",
      "bell\u0007",
      "under_score",
      "_x005F_",
    ]) {
      expect(decodeXstring(encodeXstring(s))).toBe(s);
    }
    expect(encodeXstring("a\rb")).toBe("a_x000D_b");
  });

  test("setAttr replaces, adds and removes attributes without touching the rest", () => {
    expect(setAttr('<row r="1" spans="1:3" x14ac:dyDescent="0.25">', "spans", null)).toBe(
      '<row r="1" x14ac:dyDescent="0.25">'
    );
    expect(setAttr("<row>", "r", "5")).toBe('<row r="5">');
    expect(setAttr('<c s="1"/>', "r", "A1")).toBe('<c s="1" r="A1"/>');
    expect(setAttr("<table ref='A1:B2' id=\"1\">", "ref", "A1:B9")).toBe(
      '<table ref="A1:B9" id="1">'
    );
  });
});

describe("names and references", () => {
  test("cell references", () => {
    expect([0, 25, 26, 701, 702, 16383].map(colName)).toEqual(["A", "Z", "AA", "ZZ", "AAA", "XFD"]);
    expect(parseCellRef("$AB$12")).toEqual({ col: 27, row: 12 });
    expect(parseCellRef("A0")).toBeNull();
    expect(parseRange("C3:A1")).toEqual({ c0: 0, r0: 1, c1: 2, r1: 3 });
    expect(formatRange({ c0: 0, r0: 1, c1: 0, r1: 1 })).toBe("A1");
  });

  test("loose names, sheet and table names", () => {
    expect(looseName("Cost Amount (Actual)")).toBe(looseName("costAmountActual"));
    expect(sanitizeSheetName("G/L Entries: [2026]")).toBe("G L Entries   2026");
    expect(sanitizeSheetName("x".repeat(40))).toHaveLength(31);
    expect(sanitizeTableName("G/L Entries")).toBe("G_L_Entries");
    expect(sanitizeTableName("1st")).toBe("_1st");
    expect(sanitizeTableName("AB12")).toBe("_AB12");
    expect(uniqueName("GLEntries", ["glentries", "GLEntries_2"])).toBe("GLEntries_3");
  });

  test("relationship targets", () => {
    expect(resolveTarget("xl/workbook.xml", "worksheets/sheet1.xml")).toBe(
      "xl/worksheets/sheet1.xml"
    );
    expect(resolveTarget("xl/worksheets/sheet1.xml", "../tables/table%201.xml")).toBe(
      "xl/tables/table 1.xml"
    );
    expect(resolveTarget("xl/workbook.xml", "/xl/styles.xml")).toBe("xl/styles.xml");
    expect(relativeTarget("xl/worksheets/sheet1.xml", "xl/tables/table1.xml")).toBe(
      "../tables/table1.xml"
    );
    expect(relativeTarget("xl/workbook.xml", "xl/worksheets/sheet9.xml")).toBe(
      "worksheets/sheet9.xml"
    );
  });

  test("number formats", () => {
    expect(moneyFormat(2)).toBe('_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)');
    // Excel's built-in accounting format's shape (numFmtId 43), the one the add-in writes too.
    expect(moneyFormat).toBe(accountingFormat);
    expect(moneyFormat(0)).toBe('_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)');
    for (const code of ["yyyy-mm-dd", "dd.mm.yyyy", "[$-409]d-mmm-yy", "h:mm:ss", "[h]:mm"])
      expect(isDateFormatCode(code)).toBe(true);
    for (const code of [
      "General",
      '#,##0.00 "days"',
      "0.00E+00",
      moneyFormat(2),
      "[Red]#,##0",
      "@",
    ])
      expect(isDateFormatCode(code)).toBe(false);
  });
});

describe("zip", () => {
  test("stored and deflated entries are read; a written zip reads back with valid CRCs", () => {
    const data = new TextEncoder().encode("<a>hello</a>".repeat(100));
    const bytes = zipSync({
      "stored.xml": [data, { level: 0 }],
      "deflated.xml": [data, { level: 9 }],
      "dir/": new Uint8Array(0),
    });
    const entries = readZip(bytes);
    expect(entries.map((e) => [e.name, e.method]).slice(0, 2)).toEqual([
      ["stored.xml", 0],
      ["deflated.xml", 8],
    ]);
    expect(entries[2].name).toBe("dir/");
    for (const e of entries.slice(0, 2))
      expect(Buffer.from(entryData(e)).equals(Buffer.from(data))).toBe(true);
    const again = readZip(writeZip([{ copy: entries[0] }, { name: "new.xml", data }]));
    expect(again[1].crc).toBe(crc32(data));
    expect(Buffer.from(entryData(again[1])).equals(Buffer.from(data))).toBe(true);
    expect(again[0].raw).toEqual(entries[0].raw);
  });

  test("crc32 matches the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});

describe("browser-safe core", () => {
  test("only xlsxWorkbook.ts uses Node modules", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readdirSync, readFileSync } = require("fs") as typeof import("fs");
    const dir = `${__dirname}/../../../src/files/xlsx`;
    const offenders: string[] = [];
    for (const f of readdirSync(dir).filter(
      (n) => n.endsWith(".ts") && n !== "xlsxWorkbook.ts" && n !== "index.ts"
    )) {
      const src = readFileSync(`${dir}/${f}`, "utf8");
      for (const m of src.matchAll(/from '([^']+)'/g))
        if (!m[1].startsWith(".") && m[1] !== "fflate") offenders.push(`${f}: ${m[1]}`);
    }
    expect(offenders).toEqual([]);
  });
});
