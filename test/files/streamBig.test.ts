/**
 * Issue 13, "Done when": a generated 2,000,000-entry CSV folder posted per Posting Group by `glpost post --stream`
 * in a process whose heap is capped at 512 MB (the in-memory reader alone would need several GB) gets the same
 * G/L entries as the in-memory engine run on the same entries, and records every entry as posted.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  generatedSetup,
  generateValueEntries,
  writeGeneratedCsvFolder,
} from "../../scripts/genLedger";
import { clockOf } from "../../src/app/run";
import { csvChunks } from "../../src/files/csvStream";
import { dayToIso } from "../../src/engine/dates";
import { postInventoryCostToGL } from "../../src/engine/post";

const ENTRIES = Number(process.env.GLPOST_STREAM_ENTRIES ?? 2_000_000);
const SEED = 11;
// glpost from the sources (test/files/child/glpost.js): no build step needed.
const GLPOST = path.join(__dirname, "child", "glpost.js");

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "glpost-streambig-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test(`${ENTRIES.toLocaleString("en")} entries streamed with a 512 MB heap post what the in-memory run posts`, async () => {
  const folder = path.join(dir, "big");
  fs.mkdirSync(folder);
  writeGeneratedCsvFolder(folder, ENTRIES, SEED);

  // The streamed run in its own process, while this one makes the in-memory run (two cores).
  const child = new Promise<{ status: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      const p = spawn(process.execPath, [
        "--max-old-space-size=512",
        GLPOST,
        "post",
        folder,
        "--stream",
        "--method",
        "group",
        "--document-no",
        "BIG",
        "--user",
        "T",
        "--json",
      ]);
      let stdout = "";
      let stderr = "";
      p.stdout.on("data", (d) => (stdout += d));
      p.stderr.on("data", (d) => (stderr += d));
      p.on("close", (status) => resolve({ status, stdout, stderr }));
    }
  );

  // The in-memory engine on the same entries (the generator's, before any CSV).
  const result = postInventoryCostToGL(
    { ...generatedSetup(), valueEntries: generateValueEntries(ENTRIES, SEED) },
    {
      postingMethod: "per Posting Group",
      documentNo: "BIG",
      post: true,
      itemFilter: "",
      dateFilter: "",
      dimensionRules: "override",
      now: clockOf(new Date()),
      userId: "T",
    }
  );
  const streamed = await child;
  expect({ status: streamed.status, stderr: streamed.status === 0 ? "" : streamed.stderr }).toEqual(
    {
      status: 0,
      stderr: "",
    }
  );
  const summary = JSON.parse(streamed.stdout);
  // Progress went to stderr as it read.
  expect(streamed.stderr).toMatch(/value entries read/);
  expect(summary.entries.posted).toBe(result.counts.posted);
  expect(summary.glEntries).toBe(result.glEntries.length);

  // G/L Entries, row by row: No., date, document, account, amount (the file's own cells).
  const glFile = path.join(folder, "GL Entries.csv");
  const got: string[] = [];
  for await (const c of csvChunks(glFile, "utf-8", 1 << 24))
    for (const r of c.parsed.rows) got.push([r[0], r[1], r[2], r[4], r[7]].join("|"));
  const want = result.glEntries.map((g) =>
    [
      g.entryNo,
      dayToIso(g.postingDate),
      g.documentNo,
      g.glAccountNo,
      (g.amount / 100).toFixed(2),
    ].join("|")
  );
  expect(got.length).toBe(want.length);
  expect(got).toEqual(want);

  // Every entry recorded as posted (Cost Posted to G/L = Cost Amount (Actual), and the expected pair), and
  // one relation row per contribution.
  let rows = 0;
  let wrong = 0;
  for await (const c of csvChunks(path.join(folder, "Value Entries.csv"), "utf-8", 1 << 24))
    for (const r of c.parsed.rows) {
      rows++;
      if (r[18] !== r[16] || r[19] !== r[17]) wrong++;
    }
  expect({ rows, wrong }).toEqual({ rows: ENTRIES, wrong: 0 });
  let relations = 0;
  for await (const c of csvChunks(
    path.join(folder, "GL - Item Ledger Relation.csv"),
    "utf-8",
    1 << 24
  ))
    relations += c.parsed.rows.length;
  expect(relations).toBe(result.relations.glEntryNo.length);
}, 900_000);
