/**
 * Fuzzed workbooks through glpost (issue 8): bytes of the sample .xlsx mutated, in the zip envelope and
 * inside its XML parts (inflated, mutated, zipped again). Every run must end, with exit 0 (it could still
 * be read), 1 (input error) or 3 (write failure), never a throw or an internal error (4), and the input
 * file stays byte-identical. Runs go through a worker thread whose watchdog turns a hang into a failure.
 */
import * as fc from "fast-check";
import { strToU8, unzipSync, zipSync } from "fflate";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { removeDir, tempDir } from "./helpers";
import { CliWorker } from "./watchdog";

const SAMPLE = new Uint8Array(
  readFileSync(path.join(__dirname, "../../../samples/bike-chain.xlsx"))
);
const PARTS = unzipSync(SAMPLE);
/** The parts a run reads (mutations there reach the XML scanner, not only the zip layer). */
const TARGETS = [
  "xl/worksheets/sheet2.xml",
  "xl/sharedStrings.xml",
  "xl/workbook.xml",
  "xl/tables/table1.xml",
  "[Content_Types].xml",
  "xl/worksheets/sheet3.xml",
  "xl/_rels/workbook.xml.rels",
];

type Edit =
  | { kind: "flip"; at: number; byte: number }
  | { kind: "truncate"; at: number }
  | { kind: "duplicate"; at: number; length: number; to: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; text: string };

/** Characters that matter to XML, so that inserted text often makes markup. */
const XMLISH = fc.constantFrom(
  "<",
  ">",
  '"',
  "'",
  "=",
  "/",
  "&",
  ";",
  "<!--",
  "-->",
  "<![CDATA[",
  "]]>",
  "<v>",
  "</v>",
  '<c r="Q3">',
  "</c>",
  '<row r="3">',
  "</row>",
  "<f>1+1</f>",
  " t=n",
  "&#x41;",
  "9",
  "ZZZZZZ1"
);

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 400 }),
    to: fc.nat(),
  }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 60 }),
  }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: XMLISH })
);

function apply(bytes: Uint8Array, e: Edit): Uint8Array {
  const n = bytes.length;
  const at = n === 0 ? 0 : e.at % n;
  switch (e.kind) {
    case "flip": {
      const out = bytes.slice();
      if (n > 0) out[at] = e.byte;
      return out;
    }
    case "truncate":
      return bytes.slice(0, at);
    case "duplicate": {
      const piece = bytes.slice(at, at + e.length);
      const to = n === 0 ? 0 : e.to % n;
      return concat(bytes.slice(0, to), piece, bytes.slice(to));
    }
    case "delete":
      return concat(bytes.slice(0, at), bytes.slice(at + e.length));
    case "insert":
      return concat(bytes.slice(0, at), strToU8(e.text), bytes.slice(at));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let p = 0;
  for (const x of parts) {
    out.set(x, p);
    p += x.length;
  }
  return out;
}

/** A mutated workbook: edits on the zip bytes, or on one part's XML then zipped again. */
const workbook: fc.Arbitrary<{ where: string; edits: Edit[] }> = fc.record({
  where: fc.constantFrom("zip", ...TARGETS, ...TARGETS.slice(0, 2)),
  edits: fc.array(edit, { minLength: 1, maxLength: 3 }),
});

function build({ where, edits }: { where: string; edits: Edit[] }): Uint8Array {
  if (where === "zip") return edits.reduce(apply, SAMPLE);
  const parts: Record<string, Uint8Array> = { ...PARTS };
  parts[where] = edits.reduce<Uint8Array>(apply, PARTS[where]);
  return zipSync(parts);
}

let worker: CliWorker;
let dir: string;
beforeAll(() => {
  worker = new CliWorker();
  dir = tempDir();
});
afterAll(async () => {
  await worker.close();
  removeDir(dir);
});

test("mutated workbooks: every run ends with exit 0, 1 or 3, nothing thrown, the input unchanged", async () => {
  let n = 0;
  const codes: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(workbook, async (w) => {
      const bytes = build(w);
      const input = path.join(dir, `in-${++n}.xlsx`);
      writeFileSync(input, bytes);
      const run = await worker.run(
        ["post", input, "--out", path.join(dir, `out-${n}.xlsx`), "--document-no", "FUZZ"],
        20_000
      );
      if (run.hung) throw new Error(`glpost did not end within 20 s on ${JSON.stringify(w)}`);
      if (run.threw !== null) throw new Error(`glpost threw on ${JSON.stringify(w)}: ${run.threw}`);
      if (run.code !== 0 && run.code !== 1 && run.code !== 3)
        throw new Error(`exit ${run.code} on ${JSON.stringify(w)}: ${run.stderr}`);
      expect(Buffer.from(readFileSync(input)).equals(Buffer.from(bytes))).toBe(true);
      codes[String(run.code)] = (codes[String(run.code)] ?? 0) + 1;
    }),
    { seed: 20261202, numRuns: 120, endOnFailure: true }
  );
  // The mutations reach both outcomes: some still read (exit 0), most are refused (exit 1).
  expect(codes["1"]).toBeGreaterThan(0);
  expect(codes["0"]).toBeGreaterThan(0);
}, 120_000);
