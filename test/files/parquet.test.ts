import { spawnSync } from "child_process";
import { gzipSync } from "fflate";
import * as fs from "fs";
import { parquetMetadata } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { SchemaElement } from "hyparquet";
import * as os from "os";
import * as path from "path";
import {
  openParquetTable,
  ParquetReadError,
  ParquetTableWriter,
  ParquetWriteError,
  type ParquetColumn,
  type RowChunk,
} from "../../src/files/parquet";
import type { CellValue } from "../../src/workbook/port";
import {
  generateValueEntries,
  VALUE_ENTRY_FILE_COLUMNS,
  writeValueEntriesParquet,
} from "../../scripts/genLedger";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "glpost-parquet-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let seq = 0;
const tmp = () => path.join(dir, `t${++seq}.parquet`);

async function writeTable(
  columns: ParquetColumn[],
  rows: CellValue[][],
  rowGroupRows?: number
): Promise<string> {
  const file = tmp();
  const w = await ParquetTableWriter.create(file, columns, rowGroupRows);
  await w.append(rows);
  await w.close();
  return file;
}

async function readAll(file: string, chunkRows = 1000): Promise<RowChunk & { header: string[] }> {
  const t = await openParquetTable(file);
  const rows: CellValue[][] = [];
  const rowNumbers: number[] = [];
  for await (const c of t.chunks(chunkRows)) {
    rows.push(...c.rows);
    rowNumbers.push(...c.rowNumbers);
  }
  return { header: t.header, rows, rowNumbers };
}

/** A file written by hyparquet-writer directly (not by our writer): as another tool would write it. */
function writeForeign(
  schema: SchemaElement[],
  columnData: { name: string; data: unknown[] }[],
  opts: {
    codec?: "GZIP" | "ZSTD";
    compressors?: Record<string, (b: Uint8Array) => Uint8Array>;
  } = {}
): string {
  const w = new ByteWriter();
  const pw = new ParquetWriter({
    writer: w,
    schema,
    codec: opts.codec,
    compressors: opts.compressors,
  } as ConstructorParameters<typeof ParquetWriter>[0]);
  pw.write({ columnData } as Parameters<ParquetWriter["write"]>[0]);
  pw.finish();
  const file = tmp();
  fs.writeFileSync(file, new Uint8Array(w.getBuffer()));
  return file;
}

async function readError(file: string): Promise<ParquetReadError> {
  try {
    await readAll(file);
  } catch (e) {
    if (e instanceof ParquetReadError) return e;
    throw e;
  }
  throw new Error("expected a ParquetReadError");
}

const root = (n: number): SchemaElement => ({ name: "root", num_children: n });

describe("round trip through ParquetTableWriter and openParquetTable", () => {
  const columns: ParquetColumn[] = [
    { name: "Entry No.", kind: "integer" },
    { name: "Description", kind: "text" },
    { name: "Cost Amount (Actual)", kind: "decimal", scale: 2 },
    { name: "Quantity", kind: "decimal", scale: 5 },
    { name: "Posting Date", kind: "date" },
    { name: "Expected Cost", kind: "boolean" },
  ];

  test("every kind, nulls, signs, leading zeros, far dates and unicode read back as the CSV reader gives them", async () => {
    const file = await writeTable(columns, [
      [1, "Ünïcødé ✓ 日本語 😀", "165.00", "1.5", "2026-01-31", true],
      [-2147483648, "", "-0.01", "-0.00001", "1969-12-31", false],
      [2147483647, null, "0.05", "0", "1900-02-28", null],
      [null, 'a,b;"c"\nd', -18.5, 12, "2150-06-01", true],
      [4, " padded ", "-123456789012.34", null, "0001-01-01", false],
      [5, "x", 0.1, "99999.99999", "9999-12-31", true],
      [6, "short row"], // missing cells are nulls
      [null, null, null, null, 20454, null], // a date as the engine's day number: 2026-01-01
    ]);
    const r = await readAll(file);
    expect(r.header).toEqual(columns.map((c) => c.name));
    expect(r.rows).toEqual([
      [1, "Ünïcødé ✓ 日本語 😀", "165.00", "1.50000", "2026-01-31", true],
      [-2147483648, null, "-0.01", "-0.00001", "1969-12-31", false],
      [2147483647, null, "0.05", "0.00000", "1900-02-28", null],
      [null, 'a,b;"c"\nd', "-18.50", "12.00000", "2150-06-01", true],
      [4, " padded ", "-123456789012.34", null, "0001-01-01", false],
      [5, "x", "0.10", "99999.99999", "9999-12-31", true],
      [6, "short row", null, null, null, null],
      [null, null, null, null, "2026-01-01", null],
    ]);
    expect(r.rowNumbers).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test("an empty table has its header and no rows", async () => {
    const file = await writeTable(columns, []);
    const r = await readAll(file);
    expect(r.header).toHaveLength(6);
    expect(r.rows).toEqual([]);
  });

  test("values that cannot be written exactly are errors naming column and row", async () => {
    const write = async (col: ParquetColumn, v: CellValue) => {
      const w = await ParquetTableWriter.create(tmp(), [col]);
      try {
        await w.append([[null], [v]]);
        await w.close();
        return null;
      } catch (e) {
        await w.abort();
        return e;
      }
    };
    const money: ParquetColumn = { name: "Amount", kind: "decimal", scale: 2 };
    for (const v of ["1.005", 0.125, "1e3", "12a", "1000000000000000000", true]) {
      const e = await write(money, v);
      expect(e).toBeInstanceOf(ParquetWriteError);
      expect((e as ParquetWriteError).column).toBe("Amount");
      expect((e as ParquetWriteError).row).toBe(1);
    }
    expect(await write(money, "1.000")).toBeNull(); // the same value: only zeros beyond the scale
    expect(await write({ name: "No", kind: "integer" }, 2147483648)).toBeInstanceOf(
      ParquetWriteError
    );
    expect(await write({ name: "No", kind: "integer" }, 1.5)).toBeInstanceOf(ParquetWriteError);
    expect(await write({ name: "D", kind: "date" }, "2026-02-30")).toBeInstanceOf(
      ParquetWriteError
    );
    expect(await write({ name: "D", kind: "date" }, "31.01.2026")).toBeInstanceOf(
      ParquetWriteError
    );
    expect(await write({ name: "B", kind: "boolean" }, "Yes")).toBeInstanceOf(ParquetWriteError);
    expect(await write({ name: "T", kind: "text" }, 5)).toBeInstanceOf(ParquetWriteError);
  });

  test("abort removes the file", async () => {
    const file = tmp();
    const w = await ParquetTableWriter.create(file, columns);
    await w.append([[1, "a", "1.00", "1", "2026-01-01", true]]);
    await w.abort();
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe("chunks", () => {
  // 1000 rows in row groups of 128 (7 full groups and one of 104).
  let file: string;
  const expected: CellValue[][] = [];
  beforeAll(async () => {
    for (let i = 0; i < 1000; i++)
      expected.push([
        i + 1,
        `DOC-${i}`,
        `${Math.floor(i / 100)}.${String(i % 100).padStart(2, "0")}`,
      ]);
    file = await writeTable(
      [
        { name: "Entry No.", kind: "integer" },
        { name: "Document No.", kind: "text" },
        { name: "Amount", kind: "decimal", scale: 2 },
      ],
      expected,
      128
    );
  });

  test("the file has the row groups asked for", () => {
    const md = parquetMetadata(fs.readFileSync(file).buffer as ArrayBuffer);
    expect(md.row_groups.map((g) => Number(g.num_rows))).toEqual([
      128, 128, 128, 128, 128, 128, 128, 104,
    ]);
  });

  test.each([1, 7, 127, 128, 129, 300, 1000, 5000])(
    "chunks of %i give every row once, in order, with its row number",
    async (n) => {
      const t = await openParquetTable(file);
      expect(t.rowCount).toBe(1000);
      const sizes: number[] = [];
      const rows: CellValue[][] = [];
      const numbers: number[] = [];
      for await (const c of t.chunks(n)) {
        sizes.push(c.rows.length);
        expect(c.rowNumbers).toHaveLength(c.rows.length);
        rows.push(...c.rows);
        numbers.push(...c.rowNumbers);
      }
      expect(sizes.slice(0, -1).every((s) => s === n)).toBe(true);
      expect(sizes.length).toBe(Math.ceil(1000 / n));
      expect(rows).toEqual(expected);
      expect(numbers).toEqual(expected.map((_, i) => i + 2));
      expect(rows[999]).toEqual([1000, "DOC-999", "9.99"]);
    }
  );

  test("a chunk reads only the row groups it needs", async () => {
    const md = parquetMetadata(fs.readFileSync(file).buffer as ArrayBuffer);
    const groupBytes = md.row_groups.map((g) => {
      const starts = g.columns.map((c) =>
        Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset)
      );
      const ends = g.columns.map((c, k) => starts[k] + Number(c.meta_data!.total_compressed_size));
      return [Math.min(...starts), Math.max(...ends)];
    });
    const reads: [number, number][] = [];
    const t = await openParquetTable(file, { onRead: (s, e) => reads.push([s, e]) });
    const footerReads = reads.length;
    expect(footerReads).toBeGreaterThan(0);
    const it = t.chunks(50)[Symbol.asyncIterator]();
    // Rows 0-49, 50-99: row group 0 only (read once: the second chunk reuses the bytes).
    const first = await it.next();
    expect((first.value as RowChunk).rows[0]).toEqual([1, "DOC-0", "0.00"]);
    await it.next();
    const [s0, e0] = groupBytes[0];
    expect(reads.slice(footerReads).every(([s, e]) => s >= s0 && e <= e0)).toBe(true);
    expect(reads.length - footerReads).toBe(1);
    // Rows 100-149: groups 0 and 1; nothing of groups 2 to 7 has been read.
    await it.next();
    const [s2] = groupBytes[2];
    expect(reads.slice(footerReads).every(([, e]) => e <= s2)).toBe(true);
    await it.return?.(undefined);
  });

  test("a file changed since it was opened is an error, not a mixed read", async () => {
    const copy = tmp();
    fs.copyFileSync(file, copy);
    const t = await openParquetTable(copy);
    const it = t.chunks(100)[Symbol.asyncIterator]();
    await it.next();
    fs.appendFileSync(copy, "x");
    await expect(it.next()).rejects.toThrow(/changed while it was being read/);
  });
});

describe("files written by other tools", () => {
  test("DOUBLE money reads as numbers, as an .xlsx number cell", async () => {
    const file = writeForeign(
      [
        root(2),
        { name: "Cost Amount (Actual)", type: "DOUBLE", repetition_type: "OPTIONAL" },
        { name: "Cost", type: "FLOAT", repetition_type: "REQUIRED" },
      ],
      [
        { name: "Cost Amount (Actual)", data: [165, -18.5, 0.1, null] },
        { name: "Cost", data: [0.1, 1234.56, -2.5, 0] },
      ]
    );
    const r = await readAll(file);
    // FLOAT: the decimal the writer meant (0.1f is 0.100000001490116...).
    expect(r.rows).toEqual([
      [165, 0.1],
      [-18.5, 1234.56],
      [0.1, -2.5],
      [null, 0],
    ]);
  });

  test("DECIMAL on INT32, INT64, FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY is exact text from the unscaled integer", async () => {
    const dec = (
      name: string,
      type: SchemaElement["type"],
      scale: number,
      precision: number,
      type_length?: number
    ): SchemaElement => ({
      name,
      type,
      type_length,
      repetition_type: "OPTIONAL",
      converted_type: "DECIMAL",
      scale,
      precision,
    });
    const file = writeForeign(
      [
        root(4),
        dec("i32", "INT32", 2, 9),
        dec("i64", "INT64", 4, 18),
        dec("fixed", "FIXED_LEN_BYTE_ARRAY", 4, 38, 16),
        dec("var", "BYTE_ARRAY", 0, 30),
      ],
      [
        { name: "i32", data: [5n, -1n, 12345n] },
        { name: "i64", data: [9007199254740993n, -5n, 0n] },
        { name: "fixed", data: [12345678901234567890123n, -1n, null] },
        { name: "var", data: [123456789012345678901234567890n, -128n, 0n] },
      ]
    );
    const r = await readAll(file);
    expect(r.rows).toEqual([
      ["0.05", "900719925474.0993", "1234567890123456789.0123", "123456789012345678901234567890"],
      ["-0.01", "-0.0005", "-0.0001", "-128"],
      ["123.45", "0.0000", null, "0"],
    ]);
  });

  test("TIMESTAMP at midnight is the date; with a time of day it is an error naming row and column", async () => {
    const ts: SchemaElement = {
      name: "Posting Date",
      type: "INT64",
      repetition_type: "OPTIONAL",
      converted_type: "TIMESTAMP_MILLIS",
    };
    const ok = writeForeign(
      [root(1), ts],
      [{ name: "Posting Date", data: [Date.UTC(2026, 0, 31), Date.UTC(1960, 1, 29), null] }]
    );
    expect((await readAll(ok)).rows).toEqual([["2026-01-31"], ["1960-02-29"], [null]]);
    const micros: SchemaElement = {
      name: "At",
      type: "INT64",
      repetition_type: "REQUIRED",
      logical_type: { type: "TIMESTAMP", unit: "MICROS", isAdjustedToUTC: true },
    };
    const bad = writeForeign(
      [root(1), micros],
      [
        {
          name: "At",
          data: [
            BigInt(Date.UTC(2026, 0, 1)) * 1000n,
            BigInt(Date.UTC(2026, 0, 2, 10, 30)) * 1000n,
          ],
        },
      ]
    );
    const e = await readError(bad);
    expect(e.column).toBe("At");
    expect(e.row).toBe(3);
    expect(e.message).toContain("2026-01-02T10:30:00Z");
  });

  test("INT64 beyond 2^53 is an error naming row and column; up to 2^53 - 1 it is the number", async () => {
    const file = writeForeign(
      [root(1), { name: "Entry No.", type: "INT64", repetition_type: "REQUIRED" }],
      [{ name: "Entry No.", data: [9007199254740991n, -9007199254740991n, 9007199254740992n] }]
    );
    const e = await readError(file);
    expect(e.column).toBe("Entry No.");
    expect(e.row).toBe(4);
    expect(e.message).toContain("9007199254740992");
    const fine = writeForeign(
      [root(1), { name: "Entry No.", type: "INT64", repetition_type: "REQUIRED" }],
      [{ name: "Entry No.", data: [9007199254740991n, -9007199254740991n] }]
    );
    expect((await readAll(fine)).rows).toEqual([[9007199254740991], [-9007199254740991]]);
  });

  test("unsupported and nested columns are ParquetReadErrors naming the column", async () => {
    const uuid = writeForeign(
      [
        root(2),
        { name: "No.", type: "INT32", repetition_type: "REQUIRED" },
        {
          name: "Id",
          type: "FIXED_LEN_BYTE_ARRAY",
          type_length: 16,
          repetition_type: "REQUIRED",
          logical_type: { type: "UUID" },
        },
      ],
      [
        { name: "No.", data: [1] },
        { name: "Id", data: ["00112233-4455-6677-8899-aabbccddeeff"] },
      ]
    );
    const e1 = await readError(uuid);
    expect(e1.column).toBe("Id");
    expect(e1.message).toContain("UUID");
    const time = writeForeign(
      [
        root(1),
        {
          name: "Creation Time",
          type: "INT32",
          repetition_type: "REQUIRED",
          converted_type: "TIME_MILLIS",
        },
      ],
      [{ name: "Creation Time", data: [3600000] }]
    );
    expect((await readError(time)).column).toBe("Creation Time");
    const list = writeForeign(
      [
        root(1),
        { name: "Tags", repetition_type: "OPTIONAL", num_children: 1, converted_type: "LIST" },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", type: "INT32", repetition_type: "OPTIONAL" },
      ],
      [{ name: "Tags", data: [[1, 2], [3]] }]
    );
    const e3 = await readError(list);
    expect(e3.column).toBe("Tags");
    expect(e3.message).toContain("nested");
  });

  test("text: STRING, unannotated BYTE_ARRAY, empty string as null; bytes that are not UTF-8 are an error", async () => {
    const file = writeForeign(
      [
        root(2),
        { name: "s", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
        { name: "b", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" },
      ],
      [
        { name: "s", data: ["BLUE", "", null] },
        {
          name: "b",
          data: [new TextEncoder().encode("grün"), new Uint8Array(0), new Uint8Array([0xff, 0xfe])],
        },
      ]
    );
    const e = await readError(file);
    expect(e.column).toBe("b");
    expect(e.row).toBe(4);
    const good = writeForeign(
      [root(1), { name: "b", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" }],
      [{ name: "b", data: [new TextEncoder().encode("grün"), new Uint8Array(0), null] }]
    );
    expect((await readAll(good)).rows).toEqual([["grün"], [null], [null]]);
  });

  test("GZIP reads; ZSTD is refused naming the codec", async () => {
    const schema = [
      root(1),
      {
        name: "Location Code",
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        repetition_type: "OPTIONAL",
      } as SchemaElement,
    ];
    const data = [{ name: "Location Code", data: ["BLUE", "RED", null] }];
    const gz = writeForeign(schema, data, {
      codec: "GZIP",
      compressors: { GZIP: (b) => gzipSync(b) },
    });
    expect((await readAll(gz)).rows).toEqual([["BLUE"], ["RED"], [null]]);
    const zstd = writeForeign(schema, data, { codec: "ZSTD", compressors: { ZSTD: (b) => b } });
    const e = await openParquetTable(zstd).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ParquetReadError);
    expect((e as ParquetReadError).message).toContain("ZSTD");
    expect((e as ParquetReadError).column).toBe("Location Code");
  });

  test("a file that is not Parquet is a ParquetReadError naming the file", async () => {
    const file = tmp();
    fs.writeFileSync(file, "Entry No.,Amount\n1,2\n");
    const e = await openParquetTable(file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ParquetReadError);
    expect((e as ParquetReadError).file).toBe(file);
  });
});

test("plain node (as the compiled CLI) loads the ESM-only packages with require and round-trips a file", () => {
  // The child registers a transpile-on-require hook for .ts (as test/files/child/glpost.js) and so runs outside
  // jest's module system: hyparquet and hyparquet-writer are loaded by Node's own require(esm).
  const file = tmp();
  const script = `
    const ts = require("typescript"); const fs = require("fs");
    require.extensions[".ts"] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, "utf8"), { fileName: f,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, f);
    const p = require(${JSON.stringify(path.resolve(__dirname, "../../src/files/parquet.ts"))});
    (async () => {
      const w = await p.ParquetTableWriter.create(${JSON.stringify(file)}, [{ name: "a", kind: "decimal", scale: 2 }, { name: "d", kind: "date" }]);
      await w.append([["-0.05", "2026-01-31"]]); await w.close();
      const t = await p.openParquetTable(${JSON.stringify(file)});
      for await (const c of t.chunks(10)) process.stdout.write(JSON.stringify(c));
    })().catch((e) => { process.stderr.write(String(e.stack)); process.exitCode = 1; });`;
  const r = spawnSync(process.execPath, ["-e", script], {
    encoding: "utf8",
    cwd: path.resolve(__dirname, "../.."),
  });
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual({ rows: [["-0.05", "2026-01-31"]], rowNumbers: [2] });
});

test("scripts/genLedger writes generated value entries as Parquet in row groups, the same entries as generateValueEntries", async () => {
  const file = path.join(dir, "ve.parquet");
  await writeValueEntriesParquet(file, 1000, "few keys", 11, 300);
  expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  const md = parquetMetadata(fs.readFileSync(file).buffer as ArrayBuffer);
  expect(md.row_groups.map((g) => Number(g.num_rows))).toEqual([300, 300, 300, 100]);
  const r = await readAll(file, 256);
  expect(r.header).toEqual(VALUE_ENTRY_FILE_COLUMNS.map((c) => c.name));
  expect(r.header).toContain("Cost Posted to G/L");
  const ves = generateValueEntries(1000, 11);
  const col = (name: string) => r.header.indexOf(name);
  expect(r.rows.map((row) => row[col("Entry No.")])).toEqual(ves.map((_, i) => i + 1));
  // 28 days from 2026-01-01 over 1000 entries: entry 1 on the 1st, entry 1000 on the 28th.
  expect(r.rows[0][col("Posting Date")]).toBe("2026-01-01");
  expect(r.rows[999][col("Posting Date")]).toBe("2026-01-28");
  // "few keys": one business group, no dimensions.
  expect(new Set(r.rows.map((row) => row[col("Gen. Bus. Posting Group")]))).toEqual(
    new Set(["DOMESTIC"])
  );
  expect(new Set(r.rows.map((row) => row[col("Dimension Set ID")]))).toEqual(new Set([0]));
  // Amounts: exact decimal text of the generated cents.
  r.rows.forEach((row, i) => {
    const cents = ves[i].costAmountActual;
    const text = row[col("Cost Amount (Actual)")] as string;
    expect(text).toMatch(/^-?\d+\.\d\d$/);
    expect(Math.round(Number(text) * 100)).toBe(cents);
    expect(row[col("Cost Posted to G/L")]).toBe("0.00");
    expect(row[col("Expected Cost")]).toBe(ves[i].expectedCost);
    expect(row[col("Item No.")]).toBe(ves[i].itemNo === "" ? null : ves[i].itemNo);
  });
});
