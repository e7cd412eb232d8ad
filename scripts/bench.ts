/**
 * npm run bench: performance, measured, not asserted (DEVELOPERS.md). Each measurement runs in a fresh
 * child process so its peak memory (max RSS) is its own; ratios compare against a baseline measured in
 * the same run on the same machine.
 *
 *   1. Engine, per Posting Group, on 1,000,000 generated value entries (typical and high-cardinality
 *      grouping keys), against a baseline pass that only sums the same entries' amounts per posting date, and
 *      against two peers on the same entries (scripts/benchPeers.ts): the same posting as SQL in DuckDB on one
 *      thread (aim: the engine within 1.0x of it) and a hand-written tight-loop floor (aim: within 1.3x). Each
 *      peer's result is cross-checked against the engine's before any time is printed (G/L entry and relation
 *      counts, the total per G/L account and posting date, checksums of the numbering); a difference fails the
 *      bench (exit code 1, the differences printed).
 *   2. The CLI (glpost post, per Posting Group) on a 100,000-entry .xlsx, against the fastest plain copy of
 *      the same workbook with exceljs (its streaming WorkbookReader and WorkbookWriter, no engine).
 *
 *   3. =INVT.GLPOST on 10,000 value entries as Excel passes them (2-D ranges): its engine part (aim 200 ms) and the
 *      whole function, ranges in and spilled values out, caches cleared (aim 400 ms), against a plain pass over
 *      the same range.
 *
 *   4. Inventory - G/L Reconciliation (reconcile.ts) on the same generated value entries, posted, and their G/L
 *      entries and relation rows, against a posting run on the same entries in the same child (aim: within 2x).
 *
 *   5. glpost post --stream on a generated CSV folder at a quarter of --stream-entries and at --stream-entries
 *      (default 2,000,000): time and peak RSS, which should not grow with the entries.
 *   6. Only with --only memory: the engine on 10,000,000 entries per Posting Group and 5,000,000 per Entry, input
 *      and run in a 4 GB heap (--memory-group N, --memory-entry N), "does not fit" when it runs out.
 *
 * Options: --entries N (engine, default 1000000), --xlsx-entries N (default 100000), --fn-entries N (default 10000),
 * --stream-entries N (default 2000000), --runs N (engine and its peers, default 3),
 * --only engine|money|cli|functions|reconcile|stream|memory.
 */
import { spawnSync } from "child_process";
import ExcelJS from "exceljs";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { postInventoryCostToGL } from "../src/engine/post";
import type { PostingMethod, ValueEntry } from "../src/engine/types";
import { ACCOUNT_TYPES } from "../src/engine/accountTypes";
import {
  compareDigests,
  duckdbPeer,
  engineDigest,
  floorDigest,
  floorPosting,
  type PostingDigest,
} from "./benchPeers";
import {
  generatedSetup,
  generateValueEntries,
  shapeEntry,
  SHAPES,
  type LedgerShape,
} from "./genLedger";

interface Measure {
  ms: number;
  maxRssMb: number;
  detail?: string;
  /** The engine's and its peers': what the cross-check compares. */
  digest?: PostingDigest;
  /** glpost post's stages (from the run's own marks) and the byte floor's halves, in ms. */
  stages?: { read: number; compute?: number; write: number };
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

/** Runs this script in a child process in one mode and returns what it measured. */
function child(mode: string, ...args: string[]): Measure {
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=8192", __filename, "--child", mode, ...args],
    { encoding: "utf8", maxBuffer: 1 << 24 }
  );
  if (r.status !== 0) throw new Error(`bench child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Measure;
}

/** A child with its heap capped at heapMb: null when it ran out of memory (or failed), with its last stderr line. */
function cappedChild(
  heapMb: number,
  mode: string,
  ...args: string[]
): Measure | { failed: string } {
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", `--max-old-space-size=${heapMb}`, __filename, "--child", mode, ...args],
    { encoding: "utf8", maxBuffer: 1 << 24 }
  );
  if (r.status !== 0) {
    const err = r.stderr.trim().split("\n");
    const oom = err.find((l) => /heap out of memory|Reached heap limit/.test(l));
    return { failed: oom ?? err.pop() ?? `exit ${r.status}` };
  }
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Measure;
}

function report(m: Omit<Measure, "maxRssMb">): void {
  process.stdout.write(
    JSON.stringify({ ...m, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + "\n"
  );
}

// ----------------------------------------------------------------------------------------------
// Child modes

export { SHAPES };
function engineEntries(n: number, shape: string): ValueEntry[] {
  const entries = generateValueEntries(n, 1);
  // Changed in place, not copied with a spread: a spread gives V8 objects of another, slower shape than
  // the object literals the workbook reader makes, and the bench must measure what the CLI sees.
  entries.forEach((e, i) => shapeEntry(e, i, shape as LedgerShape));
  return entries;
}

function childEngine(
  n: number,
  cardinality: string,
  method: PostingMethod = "per Posting Group"
): void {
  const input = { ...generatedSetup(), valueEntries: engineEntries(n, cardinality) };
  const options = {
    postingMethod: method,
    documentNo: method === "per Entry" ? "" : "BENCH",
    post: true,
    itemFilter: "",
    dateFilter: "",
    now: { date: 20500, time: "12:00:00" },
    userId: "BENCH",
  };
  postInventoryCostToGL({ ...input, valueEntries: input.valueEntries.slice(0, 10000) }, options); // warm-up
  global.gc?.();
  const t = performance.now();
  const r = postInventoryCostToGL(input, options);
  const ms = performance.now() - t;
  report({
    ms,
    detail: `${r.glEntryTable!.length} G/L entries, ${r.relations.glEntryNo.length} relations`,
    digest: engineDigest(r),
  });
}

/** Peer: the same posting as SQL in DuckDB, one thread, load not timed (benchPeers.ts). */
async function childDuckdb(n: number, cardinality: string): Promise<void> {
  const r = await duckdbPeer({ ...generatedSetup(), valueEntries: engineEntries(n, cardinality) });
  report({ ms: r.ms, detail: r.detail, digest: r.digest });
}

/** Peer: the tight-loop floor (benchPeers.ts), warmed up as the engine is. */
function childFloor(n: number, cardinality: string): void {
  const input = { ...generatedSetup(), valueEntries: engineEntries(n, cardinality) };
  floorPosting({ ...input, valueEntries: input.valueEntries.slice(0, 10000) }); // warm-up
  global.gc?.();
  const t = performance.now();
  const r = floorPosting(input);
  const ms = performance.now() - t;
  report({ ms, digest: floorDigest(r) });
}

/** Baseline: one pass that sums each entry's amounts per posting date (a floor for any posting run). */
function childEngineBaseline(n: number, cardinality: string): void {
  const entries = engineEntries(n, cardinality);
  const sums = new Map<number, number>();
  const pass = (xs: ValueEntry[]) => {
    for (const e of xs)
      sums.set(
        e.postingDate,
        (sums.get(e.postingDate) ?? 0) +
          e.costAmountActual -
          e.costPostedToGL +
          e.costAmountExpected -
          e.expectedCostPostedToGL
      );
  };
  pass(entries.slice(0, 10000));
  global.gc?.();
  const t = performance.now();
  pass(entries);
  report({ ms: performance.now() - t, detail: `${sums.size} dates` });
}

const VALUE_ENTRY_COLUMNS = [
  "Entry No.",
  "Item No.",
  "Posting Date",
  "Item Ledger Entry Type",
  "Entry Type",
  "Variance Type",
  "Expected Cost",
  "Location Code",
  "Inventory Posting Group",
  "Gen. Bus. Posting Group",
  "Gen. Prod. Posting Group",
  "Source Type",
  "Source No.",
  "Order Type",
  "Order No.",
  "Document No.",
  "Cost Amount (Actual)",
  "Cost Amount (Expected)",
  "Cost Posted to G/L",
  "Expected Cost Posted to G/L",
  "Dimension Set ID",
  "Global Dimension 1 Code",
  "Description",
];

/** A 100,000-entry workbook: Value Entries, both setups, Items, Settings (exceljs streaming writer). */
async function makeBigXlsx(file: string, n: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: true,
  });
  const entries = generateValueEntries(n, 7);
  const ve = wb.addWorksheet("Value Entries");
  ve.addRow(VALUE_ENTRY_COLUMNS).commit();
  for (const e of entries) {
    ve.addRow([
      e.entryNo,
      e.itemNo,
      new Date(e.postingDate * 86400000),
      e.itemLedgerEntryType,
      e.entryType,
      e.varianceType,
      e.expectedCost ? "Yes" : "No",
      e.locationCode,
      e.inventoryPostingGroup,
      e.genBusPostingGroup,
      e.genProdPostingGroup,
      e.sourceType,
      e.sourceNo,
      e.orderType,
      e.orderNo,
      e.documentNo,
      e.costAmountActual / 100,
      e.costAmountExpected / 100,
      0,
      0,
      e.dimensionSetId,
      e.globalDimension1Code,
      `Generated entry ${e.entryNo}`,
    ]).commit();
  }
  ve.commit();
  const setup = generatedSetup();
  const { ACCOUNT_TYPES } = await import("../src/engine/accountTypes");
  const inv = wb.addWorksheet("Inventory Posting Setup");
  const invFields = ACCOUNT_TYPES.filter((a) => a.setupTable === "Inventory Posting Setup");
  inv
    .addRow(["Location Code", "Invt. Posting Group Code", ...invFields.map((a) => a.setupField)])
    .commit();
  for (const s of setup.inventoryPostingSetup)
    inv
      .addRow([
        s.locationCode,
        s.invtPostingGroupCode,
        ...invFields.map((a) => s.accounts[a.ordinal]),
      ])
      .commit();
  inv.commit();
  const gen = wb.addWorksheet("General Posting Setup");
  const genFields = ACCOUNT_TYPES.filter((a) => a.setupTable === "General Posting Setup");
  gen
    .addRow([
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Blocked",
      ...genFields.map((a) => a.setupField),
    ])
    .commit();
  for (const s of setup.generalPostingSetup)
    gen
      .addRow([
        s.genBusPostingGroup,
        s.genProdPostingGroup,
        "No",
        ...genFields.map((a) => s.accounts[a.ordinal]),
      ])
      .commit();
  gen.commit();
  const items = wb.addWorksheet("Items");
  items.addRow(["No.", "Inventory Posting Group"]).commit();
  items.addRow(["CHAIN", "FINISHED"]).commit();
  items.commit();
  const settings = wb.addWorksheet("Settings");
  settings.addRow(["Setting", "Value"]).commit();
  settings.addRow(["Expected Cost Posting to G/L", "Yes"]).commit();
  settings.commit();
  await wb.commit();
}

/** The fastest plain copy with exceljs: stream every sheet's rows from the reader into the writer. */
async function childExceljsCopy(input: string, output: string): Promise<void> {
  const t = performance.now();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    styles: "ignore",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "emit",
  });
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: output,
    useStyles: false,
    useSharedStrings: false,
  });
  let rows = 0;
  for await (const ws of reader as unknown as AsyncIterable<
    AsyncIterable<ExcelJS.Row> & { name: string }
  >) {
    const out = writer.addWorksheet(ws.name);
    for await (const row of ws) {
      out.addRow(row.values as ExcelJS.CellValue[]).commit();
      rows++;
    }
    out.commit();
  }
  await writer.commit();
  report({ ms: performance.now() - t, detail: `${rows} rows` });
}

/** glpost post, in process like the baseline (so both exclude Node's start-up and both report their own peak memory). */
async function childCli(input: string, output: string): Promise<void> {
  const { main } = await import("../src/cli/main");
  const { recordStageTimes, stageMarks } = await import("../src/app/stageTimes");
  let out = "";
  recordStageTimes();
  const t = performance.now();
  const code = await main(["post", input, "--out", output, "--document-no", "BENCH", "--json"], {
    stdout: (s) => void (out += s),
    stderr: () => {},
    tty: false,
  });
  const ms = performance.now() - t;
  if (code !== 0) throw new Error(`glpost exited ${code}: ${out}`);
  const summary = JSON.parse(out);
  // The run's own stage marks: reading from the start (opening the file included) to computing, then
  // computing to writing, writing (serializing, compressing, saving the file) to done.
  const at = (stage: string) => {
    const m = stageMarks().find((x) => x.stage === stage);
    if (!m) throw new Error(`the run reported no ${stage} stage`);
    return m.at;
  };
  const stages = {
    read: at("computing") - t,
    compute: at("writing") - at("computing"),
    write: at("done") - at("writing"),
  };
  report({
    ms,
    stages,
    detail: `${summary.entries.posted} posted, ${summary.glEntries} G/L entries`,
  });
}

/** The engine on n entries as a whole (input made first), for the memory aims: the heap it needs at its peak. */
function childEngineMemory(n: number, method: PostingMethod): void {
  const input = { ...generatedSetup(), valueEntries: engineEntries(n, "mixed keys") };
  global.gc?.();
  const inputHeap = process.memoryUsage().heapUsed;
  const t = performance.now();
  const r = postInventoryCostToGL(input, {
    postingMethod: method,
    documentNo: method === "per Entry" ? "" : "BENCH",
    post: true,
    itemFilter: "",
    dateFilter: "",
    now: { date: 20500, time: "12:00:00" },
    userId: "BENCH",
  });
  const ms = performance.now() - t;
  const heap = process.memoryUsage().heapUsed;
  report({
    ms,
    detail: `${r.glEntryTable!.length.toLocaleString("en")} G/L entries; heap ${Math.round(inputHeap / 2 ** 20)} MB with the input, ${Math.round(heap / 2 ** 20)} MB after the run`,
  });
}

/** glpost post <folder> --stream in this process (max RSS is the run's and the CLI's). */
async function childStream(folder: string, method: string): Promise<void> {
  const { main } = await import("../src/cli/main");
  let out = "";
  const t = performance.now();
  const code = await main(
    ["post", folder, "--stream", "--method", method, "--document-no", "BENCH", "--json"],
    { stdout: (s) => void (out += s), stderr: () => {}, tty: false }
  );
  const ms = performance.now() - t;
  if (code !== 0) throw new Error(`glpost exited ${code}: ${out}`);
  const summary = JSON.parse(out);
  report({ ms, detail: `${summary.entries.posted} posted, ${summary.glEntries} G/L entries` });
}

/**
 * The byte floor of `glpost post` on an .xlsx: inflate every part of the input and deflate every part of the
 * output that is not a byte-for-byte copy of the input's (new or rewritten parts), with node:zlib at the
 * writer's levels, one part after another. No reading, posting or XML work: what any in-place post must pay.
 */
async function childByteFloor(input: string, output: string): Promise<void> {
  const zlib = await import("zlib");
  const { readZip, levelFor } = await import("../src/files/xlsx/zip");
  const inEntries = readZip(fs.readFileSync(input));
  const outEntries = readZip(fs.readFileSync(output));
  const inCrc = new Map(inEntries.map((e) => [e.name, e.crc]));
  // The output's rewritten parts, as plain bytes (inflated before the clock starts).
  const rewritten = outEntries
    .filter((e) => inCrc.get(e.name) !== e.crc)
    .map((e) => (e.method === 0 ? e.raw : zlib.inflateRawSync(e.raw)));
  // The parts the reader opens: all but the theme and the document properties (a few kB).
  const read = inEntries.filter((e) => !/^docProps\/|\/theme\//i.test(e.name));
  let inBytes = 0;
  let outBytes = 0;
  const t = performance.now();
  for (const e of read)
    inBytes += e.method === 0 ? e.raw.length : zlib.inflateRawSync(e.raw).length;
  const t1 = performance.now();
  for (const data of rewritten)
    outBytes += zlib.deflateRawSync(data, { level: levelFor(data.length) }).length;
  const t2 = performance.now();
  report({
    ms: t2 - t,
    stages: { read: t1 - t, write: t2 - t1 },
    detail: `inflate ${(inBytes / 1e6).toFixed(1)} MB of ${read.length} parts, deflate ${rewritten.length} rewritten parts to ${(outBytes / 1e6).toFixed(1)} MB`,
  });
}

/**
 * Money scheme, picked by measurement: sum the same 2,000,000 line amounts as integer minor units (the
 * engine's scheme, with its exactness guard) and as decimal.js Decimals (the baseline).
 */
async function childMoney(n: number): Promise<void> {
  const Decimal = (await import("decimal.js")).default;
  const { ExactSumGuard } = await import("../src/engine/money");
  const entries = generateValueEntries(n / 2, 3);
  const units: number[] = [];
  for (const e of entries)
    units.push(
      e.costAmountActual + e.costAmountExpected,
      -(e.costAmountActual + e.costAmountExpected)
    );
  const texts = units.map((u) => (u / 100).toFixed(2));
  const decimals = texts.map((t) => new Decimal(t));
  global.gc?.();
  let t = performance.now();
  const guard = new ExactSumGuard();
  let sum = 0;
  for (const u of units) {
    guard.add(u);
    sum += u;
  }
  guard.check();
  const intMs = performance.now() - t;
  t = performance.now();
  let dsum = new Decimal(0);
  for (const d of decimals) dsum = dsum.plus(d);
  const decMs = performance.now() - t;
  if (!dsum.times(100).eq(sum)) throw new Error("money sums differ");
  report({ ms: intMs, detail: JSON.stringify({ decimalMs: decMs }) });
}

/** The generated ledger as Excel hands `Table[#All]` to a custom function: header row, amounts, dates as serials, "" blanks. */
function functionRanges(n: number) {
  const setup = generatedSetup();
  const entries = generateValueEntries(n, 1);
  const ve: unknown[][] = [VALUE_ENTRY_COLUMNS];
  for (const e of entries)
    ve.push([
      e.entryNo,
      e.itemNo,
      e.postingDate + 25569,
      e.itemLedgerEntryType,
      e.entryType,
      e.varianceType,
      e.expectedCost ? "Yes" : "No",
      e.locationCode,
      e.inventoryPostingGroup,
      e.genBusPostingGroup,
      e.genProdPostingGroup,
      e.sourceType,
      e.sourceNo,
      e.orderType,
      e.orderNo,
      e.documentNo,
      e.costAmountActual / 100,
      e.costAmountExpected / 100,
      "",
      "",
      e.dimensionSetId,
      e.globalDimension1Code,
      `Generated entry ${e.entryNo}`,
    ]);
  const invFields = ACCOUNT_TYPES.filter((a) => a.setupTable === "Inventory Posting Setup");
  const ips: unknown[][] = [
    ["Location Code", "Invt. Posting Group Code", ...invFields.map((a) => a.setupField)],
  ];
  for (const x of setup.inventoryPostingSetup)
    ips.push([
      x.locationCode,
      x.invtPostingGroupCode,
      ...invFields.map((a) => x.accounts[a.ordinal]),
    ]);
  const genFields = ACCOUNT_TYPES.filter((a) => a.setupTable === "General Posting Setup");
  const gps: unknown[][] = [
    [
      "Gen. Bus. Posting Group",
      "Gen. Prod. Posting Group",
      "Blocked",
      ...genFields.map((a) => a.setupField),
    ],
  ];
  for (const x of setup.generalPostingSetup)
    gps.push([
      x.genBusPostingGroup,
      x.genProdPostingGroup,
      "No",
      ...genFields.map((a) => x.accounts[a.ordinal]),
    ]);
  const settings = [
    ["Setting", "Value"],
    ["Expected Cost Posting to G/L", "Yes"],
  ];
  const items = [
    ["No.", "Inventory Posting Group"],
    ["CHAIN", "FINISHED"],
  ];
  return { ve, ips, gps, settings, items };
}

/** The median (of an even count: the mean of the middle two). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Stats {
  min: number;
  median: number;
  /** The highest peak RSS of the runs. */
  maxRssMb: number;
}

function stats(ms: Measure[]): Stats {
  return {
    min: Math.min(...ms.map((m) => m.ms)),
    median: median(ms.map((m) => m.ms)),
    maxRssMb: Math.max(...ms.map((m) => m.maxRssMb)),
  };
}

/**
 * =INVT.GLPOST on n entries, each figure the median of 5 runs after a warm-up: the engine part
 * (postInventoryCostToGL on the input read from the ranges), the whole function per Posting Group and per Entry
 * (caches cleared: ranges hashed and read, posted, spilled), and the baseline: one pass over the 2-D range summing
 * Cost Amount (Actual) per posting date.
 */
async function childFunctions(n: number): Promise<void> {
  const { ARGS, clearFormulaCaches, formulaFunctions } =
    await import("../src/excel/functions/formulas");
  const { RangeWorkbook, tableFromRange } = await import("../src/excel/functions/ranges");
  const { readPostingInput } = await import("../src/workbook/read");
  const r = functionRanges(n);
  const F = formulaFunctions();
  const options = {
    postingMethod: "per Posting Group" as const,
    documentNo: "BENCH",
    post: false,
    itemFilter: "",
    dateFilter: "",
    now: { date: 20500, time: "12:00:00" },
    userId: "",
  };
  const read = await readPostingInput(
    new RangeWorkbook([
      tableFromRange(ARGS.valueEntries, r.ve),
      tableFromRange(ARGS.inventoryPostingSetup, r.ips),
      tableFromRange(ARGS.generalPostingSetup, r.gps),
      tableFromRange(ARGS.settings, r.settings),
      tableFromRange(ARGS.items, r.items),
    ])
  );
  if (read.input === null)
    throw new Error(`bench ranges do not read: ${JSON.stringify(read.errors.slice(0, 3))}`);
  const input = read.input;
  const dateAt = VALUE_ENTRY_COLUMNS.indexOf("Posting Date");
  const costAt = VALUE_ENTRY_COLUMNS.indexOf("Cost Amount (Actual)");
  const baseline = () => {
    const sums = new Map<unknown, number>();
    for (let i = 1; i < r.ve.length; i++) {
      const row = r.ve[i];
      sums.set(row[dateAt], (sums.get(row[dateAt]) ?? 0) + Number(row[costAt]));
    }
    return sums.size;
  };
  const whole = async (method: string, documentNo: string) => {
    clearFormulaCaches();
    const out = await F.glPost(r.ve, r.ips, r.gps, method, documentNo, r.settings, r.items);
    return out.length - 1;
  };
  const time = async (f: () => unknown) => {
    await f(); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      global.gc?.();
      const t = performance.now();
      await f();
      ms.push(performance.now() - t);
    }
    return median(ms);
  };
  const baseMs = await time(baseline);
  const engineMs = await time(() => postInventoryCostToGL(input, options));
  const groupMs = await time(() => whole("group", "BENCH"));
  const entryMs = await time(() => whole("entry", ""));
  const groupRows = await whole("group", "BENCH");
  const entryRows = await whole("entry", "");
  report({
    ms: engineMs,
    detail: JSON.stringify({ baseMs, groupMs, entryMs, groupRows, entryRows }),
  });
}

// ----------------------------------------------------------------------------------------------

/**
 * Reconcile against a posting run on the same entries (same process, both warmed up): post the ledger (timed:
 * the baseline), give the entries their posted columns, then reconcile them with the run's G/L entries and
 * relation rows (timed).
 */
async function childReconcile(n: number): Promise<void> {
  const { reconcile } = await import("../src/engine/reconcile");
  const { applyUpdates } = await import("../src/engine/post");
  const input = { ...generatedSetup(), valueEntries: engineEntries(n, "mixed keys") };
  const options = {
    postingMethod: "per Posting Group" as const,
    documentNo: "BENCH",
    post: true,
    itemFilter: "",
    dateFilter: "",
    now: { date: 20500, time: "12:00:00" },
    userId: "BENCH",
  };
  const small = { ...input, valueEntries: input.valueEntries.slice(0, 10000) };
  const ledgerOf = (inp: typeof input) => {
    const r = postInventoryCostToGL(inp, options);
    return {
      r,
      posting: { ...inp, valueEntries: applyUpdates(inp, r) },
      glEntries: r.glEntries.map((g) => ({
        entryNo: g.entryNo,
        postingDate: g.postingDate,
        glAccountNo: g.glAccountNo,
        amount: g.amount,
        description: g.description,
        documentNo: g.documentNo,
        inventoryAccountType: g.inventoryAccountType,
        balAccountType: g.balAccountType,
        glRegisterNo: g.glRegisterNo,
      })),
      relations: r.relations.glEntryNo.map((glEntryNo, i) => ({
        glEntryNo,
        valueEntryNo: r.relations.valueEntryNo[i],
        glRegisterNo: r.relations.glRegisterNo,
      })),
    };
  };
  const none = { dateFilter: "", itemFilter: "", locationFilter: "" };
  const warm = ledgerOf(small);
  reconcile(warm, none);
  global.gc?.();
  let t = performance.now();
  postInventoryCostToGL(input, options);
  const postMs = performance.now() - t;
  const ledger = ledgerOf(input);
  global.gc?.();
  t = performance.now();
  const rec = reconcile(ledger, none);
  const ms = performance.now() - t;
  report({
    ms,
    detail: JSON.stringify({
      postMs,
      glEntries: ledger.glEntries.length,
      relations: ledger.relations.length,
      explanations: rec.explanations.length,
    }),
  });
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") {
    const [mode, a, b] = process.argv.slice(3);
    if (mode === "engine") return childEngine(Number(a), b);
    if (mode === "engine-per-entry") return childEngine(Number(a), b, "per Entry");
    if (mode === "engine-baseline") return childEngineBaseline(Number(a), b);
    if (mode === "duckdb") return childDuckdb(Number(a), b);
    if (mode === "floor") return childFloor(Number(a), b);
    if (mode === "exceljs-copy") return childExceljsCopy(a, b);
    if (mode === "cli") return childCli(a, b);
    if (mode === "byte-floor") return childByteFloor(a, b);
    if (mode === "money") return childMoney(Number(a));
    if (mode === "engine-memory") return childEngineMemory(Number(a), b as PostingMethod);
    if (mode === "stream") return childStream(a, b);
    if (mode === "functions") return childFunctions(Number(a));
    if (mode === "reconcile") return childReconcile(Number(a));
    if (mode === "make-xlsx") {
      await makeBigXlsx(a, Number(b));
      return report({ ms: 0 });
    }
    throw new Error(`unknown mode ${mode}`);
  }
  const only = arg("--only", "");
  const n = Number(arg("--entries", "1000000"));
  const nx = Number(arg("--xlsx-entries", "100000"));
  const nf = Number(arg("--fn-entries", "10000"));
  const nRuns = Number(arg("--runs", "3"));
  if (!(Number.isInteger(nRuns) && nRuns >= 1))
    throw new Error(`--runs ${nRuns}: give a whole number >= 1`);
  console.log(
    `Benchmark on ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${new Date().toISOString()}\n`
  );
  const lines: string[] = [
    row(["measurement", "time", "throughput", "peak RSS", "ratio", "notes"]),
    row(["---", "---:", "---:", "---:", "---:", "---"]),
  ];

  if (only === "" || only === "engine") {
    for (const cardinality of SHAPES) {
      const base = child("engine-baseline", String(n), cardinality);
      // Interleaved (engine, DuckDB, floor, engine, ...), each run in a fresh child as every other measurement
      // here: each peer then runs the same way (generate, warm up on 10,000 entries, run once, timed), with its
      // own peak memory and no garbage of another's run; a drift of the busy machine hits all three alike, and
      // min and median over the runs show how much each varied.
      const runs: Record<"engine" | "duckdb" | "floor", Measure[]> = {
        engine: [],
        duckdb: [],
        floor: [],
      };
      for (let i = 0; i < nRuns; i++)
        for (const peer of ["engine", "duckdb", "floor"] as const)
          runs[peer].push(child(peer, String(n), cardinality));
      // The cross-check, before any time is printed: every run of each peer against the engine's first.
      const reference = runs.engine[0].digest!;
      const differences: string[] = [];
      for (const [peer, name] of [
        ["engine", "engine (another run)"],
        ["duckdb", "DuckDB"],
        ["floor", "tight-loop floor"],
      ] as const)
        runs[peer].forEach((m, i) => {
          const d = compareDigests(reference, m.digest!, name);
          if (d.length) differences.push(`${name}, run ${i + 1}:`, ...d.map((x) => `  ${x}`));
        });
      if (differences.length)
        throw new Error(
          `the peers' postings differ from the engine's (${n} entries, ${cardinality}):\n${differences.join("\n")}`
        );
      const eng = stats(runs.engine);
      const duck = stats(runs.duckdb);
      const floor = stats(runs.floor);
      const time = (x: Stats) => `median ${x.median.toFixed(0)} ms, min ${x.min.toFixed(0)} ms`;
      const rate = (x: Stats) =>
        `${Math.round((n / x.median) * 1000).toLocaleString("en")} entries/s`;
      const versus = (peer: Stats, aim: string) =>
        `engine ${(eng.median / peer.median).toFixed(2)}x (min to min ${(eng.min / peer.min).toFixed(2)}x); aim ${aim}`;
      const checked = `same ${reference.glEntries} G/L entries, ${reference.relations} relations, totals per account and date, numbering as the engine`;
      lines.push(
        row([
          `engine per Posting Group, ${n.toLocaleString("en")} entries (${cardinality})`,
          time(eng),
          rate(eng),
          `${eng.maxRssMb} MB`,
          `${(eng.median / base.ms).toFixed(1)}x baseline`,
          `${runs.engine[0].detail ?? ""}; ${nRuns} run${nRuns === 1 ? "" : "s"} each, interleaved with the peers`,
        ])
      );
      lines.push(
        row([
          `  baseline: sum amounts per date (same entries)`,
          `${base.ms.toFixed(0)} ms`,
          `${Math.round((n / base.ms) * 1000).toLocaleString("en")} entries/s`,
          `${base.maxRssMb} MB`,
          "1.0x",
          "generation of the entries is excluded from both",
        ])
      );
      lines.push(
        row([
          `  peer: DuckDB, the same posting as SQL, 1 thread (same entries)`,
          time(duck),
          rate(duck),
          `${duck.maxRssMb} MB`,
          versus(duck, "≤ 1.0x"),
          `run 1: ${runs.duckdb[0].detail ?? ""}; ${checked}`,
        ])
      );
      lines.push(
        row([
          `  peer: tight-loop floor, hand-written TypeScript (same entries)`,
          time(floor),
          rate(floor),
          `${floor.maxRssMb} MB`,
          versus(floor, "≤ 1.3x"),
          checked,
        ])
      );
      // per Entry: one G/L entry per line, so its floor is the same loop (the lookups) without the merging.
      const perEntry = stats(
        Array.from({ length: nRuns }, () => child("engine-per-entry", String(n), cardinality))
      );
      lines.push(
        row([
          `engine per Entry, ${n.toLocaleString("en")} entries (${cardinality})`,
          time(perEntry),
          rate(perEntry),
          `${perEntry.maxRssMb} MB`,
          `${(perEntry.median / floor.median).toFixed(2)}x the floor`,
          `aim ≥ 1,000,000 entries/s: ${(((n / perEntry.median) * 1000) / 1e6).toFixed(2)} of it`,
        ])
      );
    }
  }
  if (only === "" || only === "money") {
    const m = child("money", "2000000");
    const decMs = (JSON.parse(m.detail ?? "{}") as { decimalMs: number }).decimalMs;
    lines.push(
      row([
        "money: sum 2,000,000 line amounts as integer minor units (engine)",
        `${m.ms.toFixed(1)} ms`,
        `${Math.round((2e6 / m.ms) * 1000).toLocaleString("en")} adds/s`,
        "",
        `${(m.ms / decMs).toFixed(3)}x baseline`,
        "exact; guard keeps every partial sum below 2^53",
      ])
    );
    lines.push(
      row([
        "  baseline: the same sum with decimal.js",
        `${decMs.toFixed(1)} ms`,
        `${Math.round((2e6 / decMs) * 1000).toLocaleString("en")} adds/s`,
        "",
        "1.000x",
        "exact; same total checked",
      ])
    );
  }
  if (only === "" || only === "functions") {
    const m = child("functions", String(nf));
    const d = JSON.parse(m.detail ?? "{}") as {
      baseMs: number;
      groupMs: number;
      entryMs: number;
      groupRows: number;
      entryRows: number;
    };
    const entries = `${nf.toLocaleString("en")} entries`;
    const aim = (ms: number, goal: number) => `aim ${goal} ms: ${(ms / goal).toFixed(2)} of it`;
    lines.push(
      row([
        `=INVT.GLPOST engine part (postInventoryCostToGL per Posting Group), ${entries}`,
        `${m.ms.toFixed(1)} ms`,
        `${Math.round((nf / m.ms) * 1000).toLocaleString("en")} entries/s`,
        `${m.maxRssMb} MB`,
        `${(m.ms / d.baseMs).toFixed(1)}x baseline`,
        aim(m.ms, 200),
      ])
    );
    lines.push(
      row([
        `=INVT.GLPOST whole function per Posting Group (2-D ranges in, spill out), ${entries}`,
        `${d.groupMs.toFixed(1)} ms`,
        `${Math.round((nf / d.groupMs) * 1000).toLocaleString("en")} entries/s`,
        "",
        `${(d.groupMs / d.baseMs).toFixed(1)}x baseline`,
        `${aim(d.groupMs, 400)}; ${d.groupRows} G/L rows spilled`,
      ])
    );
    lines.push(
      row([
        `=INVT.GLPOST whole function per Entry, ${entries}`,
        `${d.entryMs.toFixed(1)} ms`,
        `${Math.round((nf / d.entryMs) * 1000).toLocaleString("en")} entries/s`,
        "",
        `${(d.entryMs / d.baseMs).toFixed(1)}x baseline`,
        `${aim(d.entryMs, 400)}; ${d.entryRows} G/L rows spilled`,
      ])
    );
    lines.push(
      row([
        `  baseline: one pass over the same 2-D range (sum Cost Amount (Actual) per date)`,
        `${d.baseMs.toFixed(2)} ms`,
        `${Math.round((nf / d.baseMs) * 1000).toLocaleString("en")} entries/s`,
        "",
        "1.0x",
        "median of 5 after a warm-up, same process",
      ])
    );
  }
  if (only === "" || only === "reconcile") {
    const m = child("reconcile", String(n));
    const d = JSON.parse(m.detail ?? "{}") as {
      postMs: number;
      glEntries: number;
      relations: number;
      explanations: number;
    };
    lines.push(
      row([
        `reconcile (Inventory - G/L Reconciliation), ${n.toLocaleString("en")} posted entries (mixed keys)`,
        `${m.ms.toFixed(0)} ms`,
        `${Math.round((n / m.ms) * 1000).toLocaleString("en")} entries/s`,
        `${m.maxRssMb} MB`,
        `${(m.ms / d.postMs).toFixed(2)}x baseline`,
        `aim 2x; ${d.glEntries} G/L entries, ${d.relations} relations, ${d.explanations} explanations`,
      ])
    );
    lines.push(
      row([
        `  baseline: the posting run (per Posting Group) on the same entries`,
        `${d.postMs.toFixed(0)} ms`,
        `${Math.round((n / d.postMs) * 1000).toLocaleString("en")} entries/s`,
        "",
        "1.00x",
        "same process, after a warm-up",
      ])
    );
  }
  if (only === "" || only === "cli") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glpost-bench-"));
    try {
      const big = path.join(dir, `value-entries-${nx}.xlsx`);
      child("make-xlsx", big, String(nx));
      const size = (fs.statSync(big).size / 1e6).toFixed(1);
      // Best of two for each: the first run also warms the file cache.
      const copies = [
        child("exceljs-copy", big, path.join(dir, "copy1.xlsx")),
        child("exceljs-copy", big, path.join(dir, "copy2.xlsx")),
      ];
      const clis = [
        child("cli", big, path.join(dir, "posted1.xlsx")),
        child("cli", big, path.join(dir, "posted2.xlsx")),
      ];
      const copy = copies.reduce((a, b) => (a.ms <= b.ms ? a : b));
      const cli = clis.reduce((a, b) => (a.ms <= b.ms ? a : b));
      const floors = [
        child("byte-floor", big, path.join(dir, "posted1.xlsx")),
        child("byte-floor", big, path.join(dir, "posted1.xlsx")),
      ];
      const floor = floors.reduce((a, b) => (a.ms <= b.ms ? a : b));
      const outSize = (fs.statSync(path.join(dir, "posted1.xlsx")).size / 1e6).toFixed(1);
      lines.push(
        row([
          `glpost post on a ${nx.toLocaleString("en")}-entry .xlsx (${size} MB)`,
          `${cli.ms.toFixed(0)} ms`,
          `${Math.round((nx / cli.ms) * 1000).toLocaleString("en")} entries/s`,
          `${cli.maxRssMb} MB`,
          `${(cli.ms / copy.ms).toFixed(2)}x baseline`,
          `${cli.detail}; read, post, write, in-process time; output ${outSize} MB`,
        ])
      );
      lines.push(
        row([
          `  byte floor: inflate the input's parts, deflate the parts it rewrites (node:zlib)`,
          `${floor.ms.toFixed(0)} ms`,
          "",
          `${floor.maxRssMb} MB`,
          `glpost ${(cli.ms / floor.ms).toFixed(2)}x it; aim ≤ 2.0x`,
          `${floor.detail ?? ""}; best of two`,
        ])
      );
      // Each stage beside its own floor (the floor's halves, from the same best-of-two children).
      const st = cli.stages!;
      const readFloor = Math.min(...floors.map((f) => f.stages!.read));
      const writeFloor = Math.min(...floors.map((f) => f.stages!.write));
      lines.push(
        row([
          `  read stage of that run (open, read the tables): floor inflate the parts read`,
          `${st.read.toFixed(0)} ms`,
          "",
          "",
          `${(st.read / readFloor).toFixed(2)}x ${readFloor.toFixed(0)} ms; aim ≤ 1.5x`,
          "from the run's own stage marks",
        ])
      );
      lines.push(
        row([
          `  compute stage of that run (post, plan the writes)`,
          `${st.compute!.toFixed(0)} ms`,
          "",
          "",
          "",
          "the engine's floor is the engine rows above",
        ])
      );
      lines.push(
        row([
          `  write stage of that run (serialize, compress, save): floor deflate the parts written`,
          `${st.write.toFixed(0)} ms`,
          "",
          "",
          `${(st.write / writeFloor).toFixed(2)}x ${writeFloor.toFixed(0)} ms; aim ≤ 1.5x`,
          "from the run's own stage marks",
        ])
      );
      lines.push(
        row([
          `  baseline: exceljs streaming copy of the same workbook`,
          `${copy.ms.toFixed(0)} ms`,
          `${Math.round((nx / copy.ms) * 1000).toLocaleString("en")} entries/s`,
          `${copy.maxRssMb} MB`,
          "1.00x",
          `${copy.detail ?? ""} copied; read + write only, in-process time`,
        ])
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only === "memory") {
    // The memory aims, in memory: the whole input and the run in a 4 GB heap (only with --only memory:
    // each takes minutes, and one that does not fit thrashes before it fails).
    for (const [count, method] of [
      [Number(arg("--memory-group", "10000000")), "per Posting Group"],
      [Number(arg("--memory-entry", "5000000")), "per Entry"],
    ] as const) {
      const m = cappedChild(4096, "engine-memory", String(count), method);
      const label = `in memory, ${count.toLocaleString("en")} entries ${method}, 4 GB heap`;
      lines.push(
        "failed" in m
          ? row([label, "", "", "", "does not fit; aim: fits", m.failed])
          : row([
              label,
              `${m.ms.toFixed(0)} ms`,
              `${Math.round((count / m.ms) * 1000).toLocaleString("en")} entries/s`,
              `${m.maxRssMb} MB`,
              "fits; aim: fits",
              m.detail ?? "",
            ])
      );
    }
  }

  if (only === "" || only === "stream") {
    // glpost post --stream on a generated CSV folder, twice the size apart: peak RSS should not grow with the
    // value entries (aim: 50,000,000 per Posting Group in under 2 GB; --stream-entries sets the larger size).
    const big = Number(arg("--stream-entries", "2000000"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glpost-bench-stream-"));
    try {
      const { writeGeneratedCsvFolder } = await import("./genLedger");
      const measured: [number, Measure][] = [];
      for (const count of [Math.max(1, Math.round(big / 4)), big]) {
        const folder = path.join(dir, `n${count}`);
        fs.mkdirSync(folder);
        writeGeneratedCsvFolder(folder, count, 11);
        const size = fs.statSync(path.join(folder, "Value Entries.csv")).size;
        const m = child("stream", folder, "group");
        measured.push([count, m]);
        lines.push(
          row([
            `glpost post --stream, ${count.toLocaleString("en")} entries per Posting Group (CSV folder)`,
            `${m.ms.toFixed(0)} ms`,
            `${Math.round((count / m.ms) * 1000).toLocaleString("en")} entries/s`,
            `${m.maxRssMb} MB`,
            count === big && measured.length === 2
              ? `RSS ${(m.maxRssMb / measured[0][1].maxRssMb).toFixed(2)}x at ${(big / measured[0][0]).toFixed(0)}x the entries; aim < 2 GB at 50,000,000`
              : "",
            `${m.detail ?? ""}; Value Entries.csv ${(size / 1e6).toFixed(0)} MB`,
          ])
        );
        fs.rmSync(folder, { recursive: true, force: true });
      }
      // The same entries as Value Entries.parquet (the setup as CSV): Parquet in, Parquet out.
      const { writeValueEntriesParquet } = await import("./genLedger");
      const pq = path.join(dir, "parquet");
      fs.mkdirSync(pq);
      writeGeneratedCsvFolder(pq, 0, 11);
      fs.rmSync(path.join(pq, "Value Entries.csv"));
      await writeValueEntriesParquet(path.join(pq, "Value Entries.parquet"), big, "mixed keys", 11);
      const size = fs.statSync(path.join(pq, "Value Entries.parquet")).size;
      const m = child("stream", pq, "group");
      lines.push(
        row([
          `glpost post --stream, ${big.toLocaleString("en")} entries per Posting Group (Value Entries.parquet)`,
          `${m.ms.toFixed(0)} ms`,
          `${Math.round((big / m.ms) * 1000).toLocaleString("en")} entries/s`,
          `${m.maxRssMb} MB`,
          "",
          `${m.detail ?? ""}; Value Entries.parquet ${(size / 1e6).toFixed(0)} MB; outputs as Parquet`,
        ])
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  console.log(lines.join("\n"));
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exitCode = 1;
});
