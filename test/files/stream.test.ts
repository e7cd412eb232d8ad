/**
 * glpost post --stream (app/stream.ts) against the in-memory run on the same folders: the files it writes
 * must be the in-memory run's bytes (per Posting Group, the relation rows in value-entry order: the same
 * rows), whatever the chunk size; an input error in any chunk writes nothing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeGeneratedCsvFolder } from "../../scripts/genLedger";
import { postWorkbook, type RunOutcome } from "../../src/app/run";
import { postStreamed } from "../../src/app/stream";
import { CsvFolderWorkbook } from "../../src/files/csv";
import type { PostingMethod } from "../../src/engine/types";

const NOW = new Date(2026, 1, 1, 9, 0, 0);
let base: string;
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "glpost-stream-"));
  base = path.join(dir, "base");
  fs.mkdirSync(base);
  writeGeneratedCsvFolder(base, 3000, 5);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function copy(from = base): string {
  const to = path.join(dir, `c${n++}`);
  fs.cpSync(from, to, { recursive: true });
  return to;
}

function request(method: PostingMethod) {
  return {
    postingMethod: method,
    documentNo: method === "per Posting Group" ? "INVT-1" : "",
    post: true,
    userId: "TESTER",
    now: NOW,
  };
}

async function inMemory(folder: string, method: PostingMethod, out?: string): Promise<RunOutcome> {
  const wb = await CsvFolderWorkbook.open(folder, { outputFolder: out });
  return postWorkbook(wb, request(method));
}

function files(folder: string): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const f of fs.readdirSync(folder).sort()) m.set(f, fs.readFileSync(path.join(folder, f)));
  return m;
}

/** The relation file's lines: header first, records sorted (the streamed order is value-entry order). */
function sortedLines(b: Buffer): string[] {
  const [head, ...rest] = b.toString("utf8").split("\n");
  return [head, ...rest.sort()];
}

function expectSameFolders(a: string, b: string, method: PostingMethod): void {
  const fa = files(a);
  const fb = files(b);
  expect([...fb.keys()]).toEqual([...fa.keys()]);
  for (const [name, bytes] of fa) {
    if (method === "per Posting Group" && name === "GL - Item Ledger Relation.csv")
      expect(sortedLines(fb.get(name)!)).toEqual(sortedLines(bytes));
    else
      expect({ name, text: fb.get(name)!.toString("utf8") }).toEqual({
        name,
        text: bytes.toString("utf8"),
      });
  }
}

describe.each<[PostingMethod, number]>([
  ["per Entry", 20000],
  ["per Entry", 1 << 20],
  ["per Posting Group", 30000],
])("%s in chunks of %d characters", (method, chunkChars) => {
  test("writes what the in-memory run writes, and a second run posts nothing in both", async () => {
    const a = copy();
    const b = copy();
    const chunks: string[] = [];
    const ra = await inMemory(a, method);
    const rb = await postStreamed(b, {
      ...request(method),
      chunkChars,
      onStreamProgress: (l) => chunks.push(l),
      progressEveryMs: 0,
    });
    expect(ra.kind).toBe("done");
    expect(rb).toEqual(ra);
    if (chunkChars < 100000)
      expect(chunks.filter((l) => /value entries read/.test(l)).length).toBeGreaterThan(5);
    expectSameFolders(a, b, method);
    if (ra.kind !== "done") return;
    expect(ra.summary.entries.posted).toBe(3000);

    const ra2 = await inMemory(a, method);
    const rb2 = await postStreamed(b, { ...request(method), chunkChars });
    expect(rb2).toEqual(ra2);
    expect(ra2.kind === "done" && ra2.summary.entries.posted).toBe(0);
    expectSameFolders(a, b, method);
  });
});

test("skipped entries (a missing General Posting Setup row) are listed as the in-memory run lists them", async () => {
  const from = copy();
  const gps = path.join(from, "General Posting Setup.csv");
  const lines = fs.readFileSync(gps, "utf8").split("\n");
  fs.writeFileSync(gps, lines.filter((l) => !l.startsWith("EU,RETAIL,")).join("\n"));
  for (const method of ["per Entry", "per Posting Group"] as PostingMethod[]) {
    const a = copy(from);
    const b = copy(from);
    const ra = await inMemory(a, method);
    const rb = await postStreamed(b, { ...request(method), chunkChars: 25000 });
    expect(ra.kind === "done" && ra.summary.entries.skipped).toBeGreaterThan(50);
    expect(rb).toEqual(ra);
    expectSameFolders(a, b, method);
  }
});

test("writes into another folder what the in-memory run writes there; the input stays as it was", async () => {
  const a = copy();
  const b = copy();
  const before = files(b);
  const outA = path.join(dir, `outA${n}`);
  const outB = path.join(dir, `outB${n}`);
  await inMemory(a, "per Entry", outA);
  const rb = await postStreamed(b, {
    ...request("per Entry"),
    chunkChars: 40000,
    outputFolder: outB,
  });
  expect(rb.kind).toBe("done");
  expectSameFolders(outA, outB, "per Entry");
  expect(files(b)).toEqual(before);
});

describe("input errors write nothing", () => {
  function withLine(folder: string, lineNo: number, edit: (fields: string[]) => void): void {
    const file = path.join(folder, "Value Entries.csv");
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const f = lines[lineNo - 1].split(",");
    edit(f);
    lines[lineNo - 1] = f.join(",");
    fs.writeFileSync(file, lines.join("\n"));
  }

  test("an unreadable amount in a late chunk: the error names the row and column; no file changes", async () => {
    const b = copy();
    withLine(b, 2901, (f) => (f[16] = "12a"));
    const before = files(b);
    const r = await postStreamed(b, { ...request("per Entry"), chunkChars: 20000 });
    expect(r.kind).toBe("inputErrors");
    if (r.kind !== "inputErrors") return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({
      table: "Value Entries",
      row: 2901,
      column: "Cost Amount (Actual)",
      value: "12a",
    });
    // Nothing written, no temp file left.
    expect(files(b)).toEqual(before);
  });

  test("an entry out of Entry No. order is an error on its row", async () => {
    const b = copy();
    withLine(b, 1500, (f) => (f[0] = "7"));
    const before = files(b);
    const r = await postStreamed(b, { ...request("per Posting Group"), chunkChars: 20000 });
    expect(r.kind).toBe("inputErrors");
    if (r.kind !== "inputErrors") return;
    expect(r.errors[0]).toMatchObject({ row: 1500, column: "Entry No.", value: "7" });
    expect(r.errors[0].message).toMatch(/comes after 1498 \(row 1499\).*Entry No\. order/);
    expect(files(b)).toEqual(before);
  });

  test("the in-memory run also refuses the folder with the unreadable amount (same error)", async () => {
    const a = copy();
    withLine(a, 2901, (f) => (f[16] = "12a"));
    const b = copy(a);
    const ra = await inMemory(a, "per Entry");
    const rb = await postStreamed(b, { ...request("per Entry"), chunkChars: 20000 });
    expect(rb).toEqual(ra);
  });
});

test("what a killed streamed run leaves (its temp files, its spill) is removed by the next run, which posts as a fresh one", async () => {
  const a = copy();
  const b = copy();
  for (const f of [
    ".contributions.glpost-0123456789ab.tmp",
    ".Value Entries.csv.glpost-0123456789ab.tmp",
  ])
    fs.writeFileSync(path.join(b, f), "half written");
  const ra = await inMemory(a, "per Posting Group");
  const rb = await postStreamed(b, { ...request("per Posting Group"), chunkChars: 30000 });
  expect(rb).toEqual(ra);
  expectSameFolders(a, b, "per Posting Group");
});
