/**
 * Fuzzed CSV input (issue 8, "A fuzz test"): the bytes of the bundled bike-chain sample are mutated (flipped
 * bytes, inserted quotes, separators and line ends, truncation, invalid UTF-8) and glpost posts the folder in
 * process with --out. Every run ends in exit 0, 1 or 3 (never a throw, never 4 "internal error"), the input
 * folder is byte-identical afterwards, and a run that posts balances (the G/L entries' amounts add up to 0).
 */
import Decimal from "decimal.js";
import fc from "fast-check";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { decodeCsv, parseCsv } from "../../src/files/csv";
import { styledNumberText } from "../../src/workbook/values";

const SAMPLE = path.join(__dirname, "..", "fixtures", "examples", "bike-chain");
const TABLES = [
  "GL Accounts.csv",
  "General Posting Setup.csv",
  "Inventory Posting Setup.csv",
  "Items.csv",
  "Settings.csv",
  "Value Entries.csv",
];

let root = "";
const originals = new Map<string, Buffer>();
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "csvfuzz-"));
  for (const f of TABLES) originals.set(f, await fs.readFile(path.join(SAMPLE, f)));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

type Mutation =
  | { kind: "flip"; at: number; xor: number }
  | { kind: "insert"; at: number; bytes: number[] }
  | { kind: "delete"; at: number; length: number }
  | { kind: "truncate"; at: number };

const INSERTS = [
  [0x22],
  [0x2c],
  [0x0a],
  [0x0d],
  [0x3b],
  [0x0d, 0x0a],
  [0x22, 0x22],
  [0x2c, 0x22],
  [0xc3],
  [0xff],
  [0x81],
  [0xe2, 0x82],
  [0x80],
  [0xef, 0xbb, 0xbf],
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    xor: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.constantFrom(...INSERTS),
  }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() })
);

function mutate(b: Buffer, m: Mutation): Buffer {
  const at = b.length === 0 ? 0 : m.at % (b.length + 1);
  switch (m.kind) {
    case "flip": {
      if (b.length === 0) return b;
      const c = Buffer.from(b);
      c[at % b.length] ^= m.xor;
      return c;
    }
    case "insert":
      return Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    case "delete":
      return Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
    case "truncate":
      return b.subarray(0, at);
  }
}

async function listing(dir: string): Promise<Map<string, Buffer>> {
  const m = new Map<string, Buffer>();
  for (const f of (await fs.readdir(dir)).sort()) m.set(f, await fs.readFile(path.join(dir, f)));
  return m;
}

/** The sum of the Amount column of a G/L Entries file, exactly (in the file's own number style). */
function amountSum(bytes: Buffer): Decimal {
  const d = decodeCsv(bytes);
  expect(d.problem).toBeUndefined();
  const p = parseCsv(d.text);
  const col = p.header.indexOf("Amount");
  expect(col).toBeGreaterThanOrEqual(0);
  let sum = new Decimal(0);
  for (const row of p.rows) {
    const v = row[col];
    if (typeof v !== "string") continue;
    const t = styledNumberText(v, p.numberStyle ?? { decimal: null });
    if (!t.ok) throw new Error(t.error);
    sum = sum.plus(t.value);
  }
  return sum;
}

let runNo = 0;
const codes = new Map<number, number>();

test("mutated CSV bytes: exit 0, 1 or 3, input untouched, a posting that balances", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...TABLES, "Value Entries.csv", "Value Entries.csv"),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      async (file, ms) => {
        const n = ++runNo;
        const input = path.join(root, `in${n}`);
        const out = path.join(root, `out${n}`);
        await fs.mkdir(input);
        for (const [f, b] of originals)
          await fs.writeFile(path.join(input, f), f === file ? ms.reduce(mutate, b) : b);
        const before = await listing(input);
        let stderr = "";
        const io: Io = { stdout: () => {}, stderr: (s) => void (stderr += s), tty: false };
        let code: number;
        try {
          code = await main(["post", input, "--out", out, "--method", "entry"], io);
        } catch (e) {
          throw new Error(`glpost threw on ${file} ${JSON.stringify(ms)}: ${String(e)}`);
        }
        if (![0, 1, 3].includes(code))
          throw new Error(`exit ${code} on ${file} ${JSON.stringify(ms)}: ${stderr}`);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(await listing(input)).toEqual(before);
        if (code === 0) {
          const gl = await fs.readFile(path.join(out, "GL Entries.csv")).catch(() => null);
          // A run that posts nothing new may write no G/L entries at all.
          if (gl !== null) expect(amountSum(gl).toString()).toBe("0");
        }
        await fs.rm(input, { recursive: true, force: true });
        await fs.rm(out, { recursive: true, force: true });
      }
    ),
    { seed: 20261202, numRuns: 200 }
  );
  // The seeded runs reach both outcomes: mutations that still post, and mutations refused as input errors.
  if (process.env.CSV_FUZZ_DEBUG) console.log(codes);
  expect(codes.get(0)).toBeGreaterThan(10);
  expect(codes.get(1)).toBeGreaterThan(10);
}, 120000);
