/**
 * An interrupted run (workbook.md, Safety) detected whatever the settings, BC's own G/L entries never taken for
 * one, glpost repair completing or rolling back (cli.md), and Entry No. bounds: on the bike-chain example as
 * JSON (and a CSV folder for the roll back), each interruption made by cutting an uninterrupted run's output
 * as the write order leaves it (G/L entries, relation rows, posted columns, the register row last).
 */
import * as fs from "fs";
import { main, type Io } from "../../src/cli/main";
import { cents, csvRecords, exampleIn, readTable } from "./formats";
import * as path from "path";
import { openWorkbook } from "../../src/files/open";

type Rec = Record<string, unknown>;
type Book = Record<string, Rec[]>;

async function glpost(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    tty: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const load = (file: string): Book => JSON.parse(fs.readFileSync(file, "utf8"));
const save = (file: string, book: Book) => fs.writeFileSync(file, JSON.stringify(book, null, 2));
const key = (book: Book, name: string) =>
  Object.keys(book).find(
    (k) =>
      k.toLowerCase().replace(/[^a-z0-9]/g, "") === name.toLowerCase().replace(/[^a-z0-9]/g, "")
  )!;
const table = (book: Book, name: string): Rec[] => book[key(book, name)] ?? [];
const POSTED = ["Cost Posted to G/L", "Expected Cost Posted to G/L"];

/** The bike-chain example as JSON, posted once without interruption; returns the file before and after. */
async function posted(
  method: "entry" | "group"
): Promise<{ input: string; before: Book; after: Book }> {
  const input = await exampleIn("bike-chain", "json");
  const before = load(input);
  const args = method === "entry" ? ["--method", "entry"] : ["--document-no", "INVT-1"];
  const r = await glpost("post", input, ...args, "--user", "ANNA");
  expect(r.code).toBe(0);
  return { input, before, after: load(input) };
}

/** The posted columns set back to what they were before the run (the run stopped before writing them). */
function unpost(book: Book, before: Book): void {
  const old = table(before, "Value Entries");
  table(book, "Value Entries").forEach((v, i) => POSTED.forEach((c) => (v[c] = old[i][c])));
}

/** Registers compared on what the workbook holds of a run (creation time, user, skipped count and fingerprint are the repair's). */
const registerCore = (r: Rec) => ({
  no: r["No."],
  from: r["From Entry No."],
  to: r["To Entry No."],
  source: r["Source Code"],
  method: r["Posting Method"],
  doc: r["Document No."],
  posted: r["Entries Posted"],
  amount: r["Amount Posted"],
});

function expectSameLedger(got: Book, want: Book): void {
  expect(table(got, "G/L Entries")).toEqual(table(want, "G/L Entries"));
  expect(table(got, "G/L - Item Ledger Relation")).toEqual(
    table(want, "G/L - Item Ledger Relation")
  );
  expect(
    table(got, "Value Entries").map((v) => POSTED.map((c) => cents(String(v[c] ?? "0"))))
  ).toEqual(table(want, "Value Entries").map((v) => POSTED.map((c) => cents(String(v[c] ?? "0")))));
  expect(table(got, "G/L Registers").map(registerCore)).toEqual(
    table(want, "G/L Registers").map(registerCore)
  );
}

/** A new value entry arrives after the run: something for the next post. */
function addEntry(book: Book): void {
  const ve = table(book, "Value Entries");
  ve.push({
    ...ve[1],
    "Entry No.": 99,
    "Posting Date": "2026-01-30",
    "Cost Amount (Actual)": 7,
    "Cost Amount (Expected)": 0,
    "Cost Posted to G/L": 0,
    "Expected Cost Posted to G/L": 0,
  });
}

test("changing Source Code after an interrupted run does not post it again: the run is refused and says to repair", async () => {
  const { input, before } = await posted("entry");
  const book = load(input);
  // Cut after the relation rows: no posted columns, no register row.
  unpost(book, before);
  table(book, "G/L Registers").length = 0;
  table(book, "Settings").push({ Setting: "Source Code", Value: "INVTX" });
  save(input, book);
  const text = fs.readFileSync(input, "utf8");
  const r = await glpost("post", input, "--method", "entry");
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("A posting run was interrupted while writing");
  expect(r.stderr).toContain("G/L Registers has no register 1");
  expect(r.stderr).toContain("glpost repair");
  expect(r.stderr).not.toMatch(/\b(remove|delete)\b/i);
  expect(fs.readFileSync(input, "utf8")).toBe(text);
  // Repair completes it, and the next post (with the new Source Code) posts nothing twice.
  expect(JSON.parse((await glpost("repair", input, "--json")).stdout)).toEqual({
    registerNo: 1,
    action: "completed",
    glEntries: 34,
    valueEntries: 14,
  });
  const again = await glpost("post", input, "--method", "entry", "--json");
  expect(JSON.parse(again.stdout)).toMatchObject({
    glEntries: 0,
    entries: { posted: 0, alreadyPosted: 14 },
  });
});

test("BC's own G/L entries (INVTPCOST, their own register numbers, no relation rows, no G/L Registers) post normally, numbered after them", async () => {
  const input = await exampleIn("bike-chain", "json");
  const book = load(input);
  const bc = (no: number, account: string, amount: number): Rec => ({
    "Entry No.": no,
    "Posting Date": "2025-12-31",
    "G/L Account No.": account,
    Amount: amount,
    "Source Code": "INVTPCOST",
    "Transaction No.": 310,
    "G/L Register No.": 77,
  });
  book["G/L Entries"] = [bc(5000, "2130", 40), bc(5001, "5510", -40)];
  save(input, book);
  const r = await glpost("post", input, "--method", "entry", "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    registerNo: 78,
    fromEntryNo: 5002,
    toEntryNo: 5035,
    glEntries: 34,
  });
  const after = load(input);
  expect(table(after, "G/L Entries").slice(0, 2)).toEqual(book["G/L Entries"]);
  expect(table(after, "G/L Registers").map(registerCore)).toEqual([
    {
      no: 78,
      from: 5002,
      to: 5035,
      source: "INVTPCOST",
      method: "per Entry",
      doc: "",
      posted: 14,
      amount: expect.anything(),
    },
  ]);
});

test.each(["entry", "group"] as const)(
  "repair completes a %s run cut after its relation rows; the result and the next post equal the uninterrupted run",
  async (method) => {
    const u = await posted(method);
    const i = await posted(method);
    const book = load(i.input);
    unpost(book, i.before);
    table(book, "G/L Registers").length = 0;
    save(i.input, book);
    const r = await glpost("repair", i.input, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      registerNo: 1,
      action: "completed",
      glEntries: method === "entry" ? 34 : table(u.after, "G/L Entries").length,
      valueEntries: 14,
    });
    expectSameLedger(load(i.input), u.after);
    // The next post on both gives exactly the same.
    for (const f of [u.input, i.input]) {
      const b = load(f);
      addEntry(b);
      save(f, b);
      expect((await glpost("post", f, "--method", "entry")).code).toBe(0);
    }
    expectSameLedger(load(i.input), load(u.input));
  }
);

test("repair completes a run cut just before its register row (posted columns written): only the register row is added", async () => {
  const u = await posted("group");
  const book = load(u.input);
  table(book, "G/L Registers").length = 0;
  save(u.input, book);
  const r = await glpost("repair", u.input, "--json");
  expect(JSON.parse(r.stdout)).toEqual({
    registerNo: 1,
    action: "completed",
    glEntries: table(u.after, "G/L Entries").length,
    valueEntries: 0,
  });
  expectSameLedger(load(u.input), u.after);
  expect(table(load(u.input), "Value Entries")).toEqual(table(u.after, "Value Entries"));
  // A second repair has nothing to do.
  expect(JSON.parse((await glpost("repair", u.input, "--json")).stdout)).toMatchObject({
    action: "none",
    registerNo: null,
  });
});

test("repair rolls back a run cut after part of its G/L entries; the next post equals an uninterrupted run", async () => {
  const u = await posted("entry");
  const i = await exampleIn("bike-chain", "json");
  const book = load(u.input);
  // Only the first 11 G/L entries were written: no relation rows, no posted columns, no register.
  book[key(book, "G/L Entries")] = table(book, "G/L Entries").slice(0, 11);
  book[key(book, "G/L - Item Ledger Relation")] = [];
  book[key(book, "G/L Registers")] = [];
  // G/L Register Changes (where the run records the posted cells it changes) comes after the relation rows.
  const changes = key(book, "G/L Register Changes");
  if (changes !== undefined) book[changes] = [];
  unpost(book, u.before);
  save(i, book);
  const refused = await glpost("post", i, "--method", "entry");
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("G/L Entries hold 11 G/L entries of G/L Register 1");
  const r = await glpost("repair", i, "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({
    registerNo: 1,
    action: "rolledBack",
    glEntries: 11,
    valueEntries: 0,
  });
  expect(table(load(i), "G/L Entries")).toEqual([]);
  const p = await glpost("post", i, "--method", "entry", "--user", "ANNA");
  expect(p.code).toBe(0);
  expectSameLedger(load(i), u.after);
});

test("repair rolls back in a CSV folder: a run cut inside its relation rows, whose last G/L entries are not covered", async () => {
  const u = await exampleIn("bike-chain", "csv");
  const veFile = path.join(u, "Value Entries.csv");
  const origText = fs.readFileSync(veFile);
  const orig = csvRecords(veFile);
  expect((await glpost("post", u, "--document-no", "INVT-1")).code).toBe(0);
  const want = {
    gl: await readTable(u, "csv", "G/L Entries"),
    rel: await readTable(u, "csv", "G/L - Item Ledger Relation"),
  };
  // Cut: the register row, the posted columns and the last relation rows were not written.
  const relFile = fs.readdirSync(u).find((f) => /item ledger relation/i.test(f))!;
  const lines = fs.readFileSync(path.join(u, relFile), "utf8").split("\n");
  const keep = lines.slice(0, lines.length - 4).join("\n") + "\n";
  fs.writeFileSync(path.join(u, relFile), keep);
  const regFile = fs.readdirSync(u).find((f) => /registers/i.test(f))!;
  fs.writeFileSync(
    path.join(u, regFile),
    fs.readFileSync(path.join(u, regFile), "utf8").split("\n")[0] + "\n"
  );
  fs.writeFileSync(veFile, origText);
  const changesFile = fs.readdirSync(u).find((f) => /register changes/i.test(f));
  if (changesFile !== undefined)
    fs.writeFileSync(
      path.join(u, changesFile),
      fs.readFileSync(path.join(u, changesFile), "utf8").split("\n")[0] + "\n"
    );
  const r = await glpost("repair", u, "--json");
  expect(JSON.parse(r.stdout)).toEqual({
    registerNo: 1,
    action: "rolledBack",
    glEntries: want.gl.length,
    valueEntries: 0,
  });
  expect(await readTable(u, "csv", "G/L Entries")).toEqual([]);
  expect(await readTable(u, "csv", "G/L - Item Ledger Relation")).toEqual([]);
  expect(csvRecords(path.join(u, "Value Entries.csv"))).toEqual(orig);
  expect((await glpost("post", u, "--document-no", "INVT-1")).code).toBe(0);
  expect(await readTable(u, "csv", "G/L Entries")).toEqual(want.gl);
  expect(await readTable(u, "csv", "G/L - Item Ledger Relation")).toEqual(want.rel);
});

test("Entry No. 2147483648 is an input error; a run whose G/L Entry Nos would pass 2,147,483,647 is refused before writing", async () => {
  const input = await exampleIn("bike-chain", "json", (t, rows) =>
    t === "Value Entries"
      ? rows.map((r) => (r["Entry No."] === "14" ? { ...r, "Entry No.": "2147483648" } : r))
      : rows
  );
  const r = await glpost("post", input, "--method", "entry", "--json");
  expect(r.code).toBe(1);
  const errors = JSON.parse(r.stdout).inputErrors as {
    table: string;
    column: string;
    value: string;
    message: string;
  }[];
  expect(errors).toEqual([
    expect.objectContaining({ table: "Value Entries", column: "Entry No.", value: "2147483648" }),
  ]);
  expect(errors[0].message).toContain("2,147,483,647");

  const near = await exampleIn("bike-chain", "json");
  const book = load(near);
  book["G/L Entries"] = [
    {
      "Entry No.": 2147483640,
      "Posting Date": "2025-12-31",
      "G/L Account No.": "2130",
      Amount: 0,
      "Source Code": "INVTPCOST",
      "G/L Register No.": 3,
    },
  ];
  save(near, book);
  const text = fs.readFileSync(near, "utf8");
  const n = await glpost("post", near, "--method", "entry");
  expect(n.code).toBe(1);
  expect(n.stderr).toContain("would be numbered up to 2147483674");
  expect(fs.readFileSync(near, "utf8")).toBe(text);
});

test("repair rolls back in an .xlsx workbook (rows removed from its tables, the rows below moved up); the next post equals an uninterrupted run", async () => {
  const pristine = await exampleIn("bike-chain", "xlsx");
  const u = pristine.replace(/\.xlsx$/, "-u.xlsx");
  fs.copyFileSync(pristine, u);
  expect((await glpost("post", u, "--method", "entry")).code).toBe(0);
  const want = {
    gl: await readTable(u, "xlsx", "G/L Entries"),
    rel: await readTable(u, "xlsx", "G/L - Item Ledger Relation"),
    ve: await readTable(u, "xlsx", "Value Entries"),
  };
  const changes = (await readTable(u, "xlsx", "G/L Register Changes")).length;
  // The cut, made from the posted workbook: its first 20 G/L entries kept; no relation rows, no register row,
  // the posted columns as before the run.
  const i = pristine.replace(/\.xlsx$/, "-cut.xlsx");
  const port = await openWorkbook(u, i);
  const refs = await port.listTables();
  const find = (re: RegExp) =>
    refs
      .filter((r) => re.test(r.name))
      .sort((a, b) => +(b.kind === "table") - +(a.kind === "table"))[0];
  const veRef = find(/^value\W*entries$/i);
  const old = await (await openWorkbook(pristine)).readTable(veRef);
  const cols = POSTED.map((c) => old.header.indexOf(c));
  const del = (re: RegExp, from: number, to: number) => ({
    kind: "delete" as const,
    table: find(re),
    rows: Array.from({ length: to - from }, (_, k) => from + k),
  });
  await port.write(
    [
      {
        kind: "update",
        table: veRef,
        columns: POSTED.map((name) => ({ name, format: "money" as const })),
        updates: old.rows.map((row, r) => ({
          row: r,
          values: cols.map((c) => Number(row[c] ?? 0).toFixed(2)),
        })),
      },
      del(/relation/i, 0, want.rel.length),
      del(/^g\W*l\W*entries$/i, 20, want.gl.length),
      del(/registers/i, 0, 1),
      ...(changes > 0 ? [del(/changes/i, 0, changes)] : []),
    ],
    null
  );
  expect((await glpost("post", i, "--method", "entry")).code).toBe(1);
  const r = await glpost("repair", i, "--json");
  expect(JSON.parse(r.stdout)).toEqual({
    registerNo: 1,
    action: "rolledBack",
    glEntries: 20,
    valueEntries: 0,
  });
  expect(await readTable(i, "xlsx", "G/L Entries")).toEqual([]);
  expect((await glpost("post", i, "--method", "entry")).code).toBe(0);
  expect(await readTable(i, "xlsx", "G/L Entries")).toEqual(want.gl);
  expect(await readTable(i, "xlsx", "G/L - Item Ledger Relation")).toEqual(want.rel);
  const posted = (rows: Record<string, string>[]) =>
    rows.map((v) => POSTED.map((c) => cents(v[c] || "0")));
  expect(posted(await readTable(i, "xlsx", "Value Entries"))).toEqual(posted(want.ve));
});

test("repair completes a run cut while writing the posted columns (some written, some not)", async () => {
  const u = await posted("group");
  const i = await posted("group");
  const book = load(i.input);
  // Only the first 5 value entries' posted columns were written.
  const old = table(i.before, "Value Entries");
  table(book, "Value Entries").forEach(
    (v, k) => k >= 5 && POSTED.forEach((c) => (v[c] = old[k][c]))
  );
  table(book, "G/L Registers").length = 0;
  save(i.input, book);
  const r = JSON.parse((await glpost("repair", i.input, "--json")).stdout);
  expect(r).toMatchObject({ registerNo: 1, action: "completed" });
  expect(r.valueEntries).toBeGreaterThan(0);
  expect(r.valueEntries).toBeLessThan(14);
  expectSameLedger(load(i.input), u.after);
});

test("two registers G/L Registers lacks are not one interrupted run: repair refuses and changes nothing", async () => {
  const { input } = await posted("entry");
  const book = load(input);
  const gl = table(book, "G/L Entries");
  gl.push(
    { ...gl[0], "Entry No.": 900, "G/L Register No.": 7 },
    { ...gl[1], "Entry No.": 901, "G/L Register No.": 7 }
  );
  table(book, "G/L Registers").length = 0;
  save(input, book);
  const text = fs.readFileSync(input, "utf8");
  const r = await glpost("repair", input);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("G/L Registers lacks 2 registers");
  expect(r.stderr).toContain("Nothing was changed");
  expect(fs.readFileSync(input, "utf8")).toBe(text);
});
