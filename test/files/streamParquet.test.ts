/**
 * glpost post --stream on a folder whose Value Entries are a Parquet file: the output tables are Parquet files
 * ("the same format") holding what the CSV streamed run writes on the same entries, the Value Entries are
 * rewritten as Parquet with their posted columns, and a second run continues the numbering and posts nothing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  generateValueEntries,
  valueEntryCells,
  VALUE_ENTRY_FILE_COLUMNS,
  writeGeneratedCsvFolder,
} from "../../scripts/genLedger";
import { postStreamed } from "../../src/app/stream";
import { parseCsv } from "../../src/files/csv";
import { openParquetTable, ParquetTableWriter } from "../../src/files/parquet";
import type { PostingMethod } from "../../src/engine/types";
import type { SchemaElement } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { CellValue } from "../../src/workbook/port";

const N = 2500;
const SEED = 7;
const NOW = new Date(2026, 1, 1, 9, 0, 0);
let dir: string;
let csvBase: string;
let parquetBase: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "glpost-streampq-"));
  csvBase = path.join(dir, "csv");
  fs.mkdirSync(csvBase);
  writeGeneratedCsvFolder(csvBase, N, SEED);
  // The same folder with Value Entries as Parquet (the setup stays CSV).
  parquetBase = path.join(dir, "parquet");
  fs.cpSync(csvBase, parquetBase, { recursive: true });
  fs.rmSync(path.join(parquetBase, "Value Entries.csv"));
  const w = await ParquetTableWriter.create(
    path.join(parquetBase, "Value Entries.parquet"),
    VALUE_ENTRY_FILE_COLUMNS,
    1000
  );
  await w.append(generateValueEntries(N, SEED).map(valueEntryCells));
  await w.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
const copy = (from: string) => {
  const to = path.join(dir, `c${n++}`);
  fs.cpSync(from, to, { recursive: true });
  return to;
};
const request = (method: PostingMethod) => ({
  postingMethod: method,
  documentNo: method === "per Posting Group" ? "INVT-1" : "",
  post: true,
  userId: "TESTER",
  now: NOW,
});

/** A cell as text, as a CSV file holds it (Yes/No, blank for null). */
const text = (v: CellValue | undefined): string =>
  v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "Yes" : "No") : String(v);

async function parquetRows(file: string): Promise<string[][]> {
  const t = await openParquetTable(file);
  const out: string[][] = [t.header];
  for await (const c of t.chunks(1000)) for (const r of c.rows) out.push(r.map(text));
  return out;
}

function csvRows(file: string): string[][] {
  const p = parseCsv(fs.readFileSync(file, "utf8"));
  return [p.header, ...p.rows.map((r) => p.header.map((_, i) => text(r[i])))];
}

const sorted = (rows: string[][]) => [
  rows[0],
  ...rows
    .slice(1)
    .map((r) => r.join("|"))
    .sort()
    .map((r) => r.split("|")),
];

test.each<PostingMethod>(["per Entry", "per Posting Group"])(
  "%s: Parquet in, Parquet out, with what the CSV run writes; a second run posts nothing",
  async (method) => {
    const a = copy(csvBase);
    const b = copy(parquetBase);
    const ra = await postStreamed(a, { ...request(method), chunkChars: 30000 });
    const rb = await postStreamed(b, request(method));
    expect(ra.kind).toBe("done");
    expect(rb).toEqual(ra);
    expect(fs.readdirSync(b).sort()).toEqual([
      "GL - Item Ledger Relation.parquet",
      "GL Entries.parquet",
      "GL Register Changes.parquet",
      "GL Registers.parquet",
      "General Posting Setup.csv",
      "Inventory Posting Setup.csv",
      "Items.csv",
      "Run Summary.parquet",
      "Settings.csv",
      "Skipped Entries.parquet",
      "Value Entries.parquet",
    ]);
    for (const t of ["GL Entries", "GL Registers", "GL Register Changes", "Run Summary"])
      expect({ t, rows: await parquetRows(path.join(b, `${t}.parquet`)) }).toEqual({
        t,
        rows: csvRows(path.join(a, `${t}.csv`)),
      });
    // Relation rows: the same set (both streamed: the same order too).
    expect(await parquetRows(path.join(b, "GL - Item Ledger Relation.parquet"))).toEqual(
      csvRows(path.join(a, "GL - Item Ledger Relation.csv"))
    );
    // Value Entries: every column as the CSV run leaves it (posted columns updated), dates and decimals exact.
    const ve = await parquetRows(path.join(b, "Value Entries.parquet"));
    const veCsv = csvRows(path.join(a, "Value Entries.csv"));
    expect(sorted(ve)).toEqual(sorted(veCsv));
    expect(ve.slice(1).every((r) => r[18] === r[16] && r[19] === r[17])).toBe(true);

    // Again: nothing to post; the register numbering goes on from the Parquet G/L Registers.
    const rb2 = await postStreamed(b, request(method));
    expect(rb2.kind === "done" && rb2.summary.entries).toEqual({
      posted: 0,
      alreadyPosted: N,
      ignored: 0,
      skipped: 0,
    });
    expect((await parquetRows(path.join(b, "GL Entries.parquet"))).length).toBe(
      (ra.kind === "done" ? ra.summary.glEntries : 0) + 1
    );
  }
);

/** A Value Entries file written by hyparquet-writer directly, with the schema given. */
function foreignValueEntries(
  file: string,
  schema: SchemaElement[],
  columnData: { name: string; data: unknown[] }[]
) {
  const w = new ByteWriter();
  const pw = new ParquetWriter({ writer: w, schema } as ConstructorParameters<
    typeof ParquetWriter
  >[0]);
  pw.write({ columnData } as Parameters<ParquetWriter["write"]>[0]);
  pw.finish();
  fs.writeFileSync(file, new Uint8Array(w.getBuffer()));
}

test("a column the writer cannot write back (DOUBLE) is an input error naming it; nothing is written", async () => {
  const b = copy(parquetBase);
  foreignValueEntries(
    path.join(b, "Value Entries.parquet"),
    [
      { name: "root", num_children: 2 },
      { name: "Entry No.", type: "INT32", repetition_type: "REQUIRED" },
      { name: "Cost Amount (Actual)", type: "DOUBLE", repetition_type: "OPTIONAL" },
    ],
    [
      { name: "Entry No.", data: [1, 2] },
      { name: "Cost Amount (Actual)", data: [1.5, 2] },
    ]
  );
  const before = fs.readdirSync(b).sort();
  const r = await postStreamed(b, request("per Entry"));
  expect(r.kind).toBe("inputErrors");
  if (r.kind !== "inputErrors") return;
  expect(r.errors[0]).toMatchObject({ table: "Value Entries", column: "Cost Amount (Actual)" });
  expect(r.errors[0].message).toMatch(/cannot write back/);
  expect(fs.readdirSync(b).sort()).toEqual(before);
});

test("dates as TIMESTAMP cannot be written back: refused naming the column, before any row", async () => {
  const b = copy(parquetBase);
  const entries = generateValueEntries(3, SEED).map(valueEntryCells);
  const cols = VALUE_ENTRY_FILE_COLUMNS;
  const schema: SchemaElement[] = [{ name: "root", num_children: cols.length }];
  const data: { name: string; data: unknown[] }[] = [];
  cols.forEach((c, i) => {
    if (c.name === "Posting Date") {
      schema.push({
        name: c.name,
        type: "INT64",
        converted_type: "TIMESTAMP_MILLIS",
        repetition_type: "OPTIONAL",
      });
      // Row 3 (the second entry) at 10:00 on its day.
      data.push({
        name: c.name,
        data: entries.map((e, k) => BigInt((e[i] as number) * 86400000 + (k === 1 ? 36000000 : 0))),
      });
    } else if (c.kind === "integer") {
      schema.push({ name: c.name, type: "INT32", repetition_type: "OPTIONAL" });
      data.push({ name: c.name, data: entries.map((e) => e[i]) });
    } else if (c.kind === "boolean") {
      schema.push({ name: c.name, type: "BOOLEAN", repetition_type: "OPTIONAL" });
      data.push({ name: c.name, data: entries.map((e) => e[i]) });
    } else {
      // Texts, and decimals written as their decimal text.
      schema.push({
        name: c.name,
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        repetition_type: "OPTIONAL",
      });
      data.push({ name: c.name, data: entries.map((e) => e[i]) });
    }
  });
  foreignValueEntries(path.join(b, "Value Entries.parquet"), schema, data);
  const before = fs.readdirSync(b).sort();
  const r = await postStreamed(b, request("per Entry"));
  expect(r.kind).toBe("inputErrors");
  if (r.kind !== "inputErrors") return;
  expect(r.errors[0]).toMatchObject({ table: "Value Entries", column: "Posting Date" });
  expect(fs.readdirSync(b).sort()).toEqual(before);
});

test("a cell that cannot be read for sure (text that is not UTF-8) is an input error on its row and column", async () => {
  const b = copy(parquetBase);
  const entries = generateValueEntries(5, SEED).map(valueEntryCells);
  const w = await ParquetTableWriter.create(
    path.join(b, "Value Entries.parquet"),
    VALUE_ENTRY_FILE_COLUMNS,
    1000
  );
  await w.append(entries);
  await w.close();
  // The same file, with the bytes of "DOC-0" (the Document No. of the first three entries) made invalid UTF-8
  // in place (same length): the first row that has it, row 2, is named.
  const file = path.join(b, "Value Entries.parquet");
  const bytes = fs.readFileSync(file);
  const doc = String(
    entries[2][VALUE_ENTRY_FILE_COLUMNS.findIndex((c) => c.name === "Document No.")]
  );
  const at = bytes.indexOf(Buffer.from(doc));
  expect(at).toBeGreaterThan(0);
  bytes[at] = 0xff;
  fs.writeFileSync(file, bytes);
  const before = fs.readdirSync(b).sort();
  const r = await postStreamed(b, request("per Entry"));
  expect(r.kind).toBe("inputErrors");
  if (r.kind !== "inputErrors") return;
  expect(r.errors[0]).toMatchObject({ table: "Value Entries", column: "Document No." });
  expect(r.errors[0].row).toBe(2);
  expect(fs.readdirSync(b).sort()).toEqual(before);
});

test("a posting in memory on a folder with Parquet tables is refused, naming --stream; nothing is written", async () => {
  const b = copy(parquetBase);
  const before = fs.readdirSync(b).sort();
  const { CsvFolderWorkbook } = await import("../../src/files/csv");
  const { postWorkbook } = await import("../../src/app/run");
  const r = await postWorkbook(await CsvFolderWorkbook.open(b), request("per Entry"));
  expect(r.kind).toBe("inputErrors");
  expect(r.kind === "inputErrors" && r.errors[0].message).toMatch(/Parquet table.*--stream/);
  expect(fs.readdirSync(b).sort()).toEqual(before);
});
