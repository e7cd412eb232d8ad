import {
  chmodSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
  existsSync,
} from "fs";
import * as path from "path";
import { XlsxFormatError, XlsxWorkbook } from "../../../src/files/xlsx";
import { ConcurrentChangeError, TableRef } from "../../../src/workbook/port";
import { POSTED, postingWorkbook } from "./fixtures";
import { removeDir, tempDir, writeTemp } from "./helpers";

const VE: TableRef = { name: "ValueEntries", kind: "table", sheet: "Value Entries" };
const update = (value: string) => [
  {
    kind: "update" as const,
    table: VE,
    columns: POSTED,
    updates: [{ row: 0, values: [value, "0.00"] }],
  },
];

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => removeDir(dir));

const noTempFiles = () => expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

describe("XlsxWorkbook (files)", () => {
  test("writes in place by default; a second write continues from the first", async () => {
    const file = writeTemp(dir, "book.xlsx", await postingWorkbook());
    const book = await XlsxWorkbook.open(file);
    const progress: [number, number, string][] = [];
    await book.write(update("11.00"), null, (done, total, what) =>
      progress.push([done, total, what])
    );
    expect(progress).toEqual([[1, 1, "ValueEntries"]]);
    expect((await (await XlsxWorkbook.open(file)).readTable(VE)).rows[0][4]).toBe(11);
    // The object now stands for what it wrote: it reads it, and may write again.
    expect((await book.readTable(VE)).rows[0][4]).toBe(11);
    await book.write(update("12.00"), null);
    expect((await (await XlsxWorkbook.open(file)).readTable(VE)).rows[0][4]).toBe(12);
    noTempFiles();
  });

  test("with an output path the input stays byte-identical", async () => {
    const input = writeTemp(dir, "in.xlsx", await postingWorkbook());
    const original = readFileSync(input);
    const output = path.join(dir, "out.xlsx");
    const book = await XlsxWorkbook.open(input, { outputPath: output });
    await book.write(update("5.00"), null);
    expect(readFileSync(input).equals(original)).toBe(true);
    expect((await (await XlsxWorkbook.open(output)).readTable(VE)).rows[0][4]).toBe(5);
    noTempFiles();
  });

  test("a changed input is refused: ConcurrentChangeError, nothing written", async () => {
    const input = writeTemp(dir, "in.xlsx", await postingWorkbook());
    const output = path.join(dir, "out.xlsx");
    const book = await XlsxWorkbook.open(input, { outputPath: output });
    const changed = await postingWorkbook({ glRows: 3 });
    writeFileSync(input, changed);
    await expect(book.write(update("5.00"), null)).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(readFileSync(input).equals(Buffer.from(changed))).toBe(true);
    expect(existsSync(output)).toBe(false);
    noTempFiles();
  });

  test("a change that keeps size and modification time is still noticed (content hash)", async () => {
    const input = writeTemp(dir, "in.xlsx", await postingWorkbook());
    const st = statSync(input);
    const book = await XlsxWorkbook.open(input);
    const bytes = readFileSync(input);
    bytes[bytes.length - 30] ^= 0xff; // inside the zip directory: same size
    writeFileSync(input, bytes);
    utimesSync(input, st.atime, st.mtime);
    await expect(book.write(update("5.00"), null)).rejects.toThrow(ConcurrentChangeError);
    expect(readFileSync(input).equals(bytes)).toBe(true);
  });

  test("a failing write leaves no output and no temporary file", async () => {
    const input = writeTemp(dir, "in.xlsx", await postingWorkbook());
    const original = readFileSync(input);
    const book = await XlsxWorkbook.open(input);
    await expect(
      book.write(
        [
          {
            kind: "update",
            table: VE,
            columns: POSTED,
            updates: [{ row: 99, values: ["1", "1"] }],
          },
        ],
        null
      )
    ).rejects.toThrow(/row index 99/);
    expect(readFileSync(input).equals(original)).toBe(true);
    const missingDir = await XlsxWorkbook.open(input, {
      outputPath: path.join(dir, "no", "such", "out.xlsx"),
    });
    await expect(missingDir.write(update("1.00"), null)).rejects.toThrow();
    noTempFiles();
  });

  test("writes that change nothing leave the file alone", async () => {
    const file = writeTemp(dir, "book.xlsx", await postingWorkbook());
    const past = new Date(Date.now() - 3600_000);
    utimesSync(file, past, past);
    const before = statSync(file).mtimeMs;
    const book = await XlsxWorkbook.open(file);
    await book.write([{ kind: "update", table: VE, columns: POSTED, updates: [] }], null);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  test("the output keeps the permissions of the file it replaces", async () => {
    const file = writeTemp(dir, "book.xlsx", await postingWorkbook());
    chmodSync(file, 0o640);
    const book = await XlsxWorkbook.open(file);
    await book.write(update("1.00"), null);
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  test.each([
    ["empty.xlsx", Buffer.alloc(0)],
    ["text.xlsx", Buffer.from("Entry No.;Amount\n1;2\n")],
  ])("%s: XlsxFormatError naming the file", async (name, content) => {
    const file = writeTemp(dir, name, content);
    const err = await XlsxWorkbook.open(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxFormatError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toContain("is not a valid .xlsx");
  });

  test("a missing file is an error naming it", async () => {
    await expect(XlsxWorkbook.open(path.join(dir, "missing.xlsx"))).rejects.toThrow(
      /missing\.xlsx/
    );
  });
});
