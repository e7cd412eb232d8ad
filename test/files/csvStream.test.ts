import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { decodeCsv, encodeText, parseCsv } from "../../src/files/csv";
import { csvChunks, scanCsvFile } from "../../src/files/csvStream";

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "csvstream-"));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function chunksOf(file: string, chunkChars: number) {
  const scan = await scanCsvFile(file);
  const rows: unknown[] = [];
  const lines: number[] = [];
  const problems: { line: number; column?: string; message: string }[] = [];
  let firstRows: number[] = [];
  let texts = "";
  let count = 0;
  for await (const c of csvChunks(file, scan.encoding, chunkChars)) {
    count++;
    firstRows.push(c.firstRow);
    rows.push(...c.parsed.rows);
    lines.push(...c.parsed.rowNumbers);
    for (const p of c.parsed.problems ?? [])
      problems.push({ line: p.line, column: p.column, message: p.message });
    const head =
      c.parsed.headerSpan === null ? 0 : (c.parsed.spans[0]?.start ?? c.parsed.text.length);
    texts += count === 1 ? c.parsed.text : c.parsed.text.slice(head);
  }
  firstRows = firstRows.slice();
  return { scan, rows, lines, problems, count, texts, firstRows };
}

// Fields that exercise the parser: quotes, separators, line breaks inside quotes, blanks, a stray quote.
const field = fc.oneof(
  fc.constantFrom(
    "",
    "a",
    "12.50",
    'Pipe 3/4"',
    '"quoted, with comma"',
    '"two\nlines"',
    '"a ""b"""',
    "x y"
  ),
  fc.string({ maxLength: 6 }).map((s) => s.replace(/["\r\n,]/g, ""))
);
const record = fc.array(field, { minLength: 1, maxLength: 5 }).map((f) => f.join(","));

describe("csvChunks", () => {
  test("the chunks read as the whole file does: the same records, lines and problems, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 40 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.integer({ min: 1, max: 60 }),
        async (records, eol, finalEol, chunkChars) => {
          const text = ["A,B,C", ...records].join(eol) + (finalEol ? eol : "");
          const file = path.join(dir, "t.csv");
          await fs.writeFile(file, text);
          const whole = parseCsv(text);
          const got = await chunksOf(file, chunkChars);
          expect(got.rows).toEqual(whole.rows);
          expect(got.lines).toEqual(whole.rowNumbers);
          expect(got.problems).toEqual(
            (whole.problems ?? []).map((p) => ({
              line: p.line,
              column: p.column,
              message: p.message,
            }))
          );
          // The chunks' texts put together are the file (each after the first without its header).
          expect(got.texts).toBe(text);
        }
      ),
      { numRuns: 300 }
    );
  });

  test("a small chunk size gives several chunks whose first rows count the records before them", async () => {
    const lines = ["No,Amount", ...Array.from({ length: 50 }, (_, i) => `${i + 1},${i}.00`)];
    const file = path.join(dir, "n.csv");
    await fs.writeFile(file, lines.join("\n") + "\n");
    const got = await chunksOf(file, 40);
    expect(got.count).toBeGreaterThan(5);
    expect(got.rows).toHaveLength(50);
    expect(got.lines[0]).toBe(2);
    expect(got.lines[49]).toBe(51);
    // firstRow of each chunk = records in the chunks before it
    let seen = 0;
    const per: number[] = [];
    for await (const c of csvChunks(file, "utf-8", 40)) {
      per.push(c.firstRow);
      expect(c.firstRow).toBe(seen);
      seen += c.parsed.rows.length;
    }
    expect(seen).toBe(50);
  });
});

describe("scanCsvFile", () => {
  const cases: [string, Buffer][] = [
    ["utf-8 with BOM", Buffer.from("\ufeffA,B\n\u00e9,1\n", "utf8")],
    ["windows-1252", Buffer.from([0x41, 0x0a, 0xe9, 0x80, 0x0a])],
    [
      "utf-16le",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("A,B\n\u00e9,1\n", "utf16le")]),
    ],
    [
      "utf-16be",
      Buffer.concat([
        Buffer.from([0xfe, 0xff]),
        Buffer.from("A,B\n\u00e9,1\n", "utf16le").swap16(),
      ]),
    ],
    ["NUL", Buffer.from("A,B\nx,1\n\0\n")],
    ["neither", Buffer.from([0x41, 0x0a, 0x42, 0x0a, 0xe9, 0x0a, 0x81, 0x0a])],
  ];
  test.each(cases)("decides %s as decodeCsv does on the whole file", async (_name, bytes) => {
    const file = path.join(dir, "e.csv");
    await fs.writeFile(file, bytes);
    const scan = await scanCsvFile(file);
    const whole = decodeCsv(bytes);
    expect(scan.encoding).toBe(whole.encoding);
    expect(scan.problem?.line).toBe(whole.problem?.line);
    expect(scan.stamp.size).toBe(bytes.length);
    if (whole.problem === undefined) {
      let text = "";
      for await (const c of csvChunks(file, scan.encoding, 1 << 20)) text += c.parsed.text;
      expect(text).toBe(whole.text.replace(/^\ufeff/, ""));
    }
  });

  test("a text written back in the scanned encoding gives the same bytes", async () => {
    const bytes = Buffer.from([0x41, 0x0a, 0xe9, 0x80, 0x0a]);
    const file = path.join(dir, "w.csv");
    await fs.writeFile(file, bytes);
    const scan = await scanCsvFile(file);
    let text = "";
    for await (const c of csvChunks(file, scan.encoding, 1 << 20)) text += c.parsed.text;
    expect(encodeText(text, scan.encoding)).toEqual(bytes);
  });
});
