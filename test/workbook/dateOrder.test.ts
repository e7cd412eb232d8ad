/**
 * Slashed dates (issue 7, workbook.md "Reading values"): the Date Order setting, `--date-order`, and auto =
 * decided per table from the dates that read only one way; never a guess per cell.
 */
import * as fs from "fs";
import * as path from "path";
import { main, type Io } from "../../src/cli/main";
import { isoToDay } from "../../src/engine/dates";
import {
  decideDateOrder,
  parseDateOrderSetting,
  slashedToIso,
  splitSlashed,
} from "../../src/workbook/dateOrder";
import { MemoryWorkbook } from "./memory";
import { formatInputError } from "../../src/workbook/inputErrors";
import { readPostingInput } from "../../src/workbook/read";
import { parseDate } from "../../src/workbook/values";
import { csvRecords, EXAMPLES, readTable, tempDir } from "../acceptance/formats";

const T = MemoryWorkbook.table;
const day = (iso: string) => isoToDay(iso)!;

describe("dateOrder", () => {
  test("a date that reads only one way decides; year-first decides nothing; both ways is a conflict", () => {
    expect(decideDateOrder(["1/5/2026", "25/01/2026"])).toEqual({ kind: "decided", order: "dmy" });
    expect(decideDateOrder(["1/5/2026", "01/25/2026", "2/3/2026"])).toEqual({
      kind: "decided",
      order: "mdy",
    });
    expect(decideDateOrder(["1/5/2026", "2026/01/25", "12/12/2026"])).toEqual({
      kind: "undecided",
    });
    expect(decideDateOrder(["25/01/2026", "01/25/2026"])).toEqual({
      kind: "conflict",
      dayFirst: "25/01/2026",
      monthFirst: "01/25/2026",
    });
  });

  test("reading under an order, with the checks a person would make", () => {
    const read = (t: string, o: "dmy" | "mdy" | "ymd" | null) =>
      slashedToIso(t, splitSlashed(t)!, o);
    expect(read("1/5/2026", "dmy")).toEqual({ ok: true, iso: "2026-05-01" });
    expect(read("1/5/2026", "mdy")).toEqual({ ok: true, iso: "2026-01-05" });
    expect(read("05-01-2026", "dmy")).toEqual({ ok: true, iso: "2026-01-05" });
    expect(read("2026/1/25", "dmy")).toEqual({ ok: true, iso: "2026-01-25" });
    expect(read("1/25/2026 12:00:00 AM", "mdy")).toEqual({ ok: true, iso: "2026-01-25" });
    expect(read("1/25/2026", "dmy")).toEqual({
      ok: false,
      error: '"1/25/2026" is not a day-first date (Date Order dmy): there is no month 25',
    });
    expect(read("1/5/26", "dmy")).toMatchObject({
      ok: false,
      error: expect.stringContaining("four digits"),
    });
    expect(read("1/5/2026", null)).toMatchObject({
      ok: false,
      error: expect.stringContaining(
        "set Date Order in Settings (dmy, mdy or ymd), or run glpost with --date-order"
      ),
    });
    // ISO stays ISO (its time part checked by the ISO rule), and is no slashed date.
    expect(splitSlashed("2026-01-05")).toBeNull();
    expect(parseDate("2026-01-05T25:00", "dmy")).toMatchObject({ ok: false });
    expect(parseDate("31/02/2026", "dmy")).toEqual({
      ok: false,
      error: '"31/02/2026" is not a date (no such day)',
    });
    expect(parseDate("1/5/2026", "dmy")).toEqual({ ok: true, value: day("2026-05-01") });
    expect(parseDate("1/5/2026", "mdy")).toEqual({ ok: true, value: day("2026-01-05") });
  });

  test("setting values", () => {
    expect(["dmy", "MDY", "y-m-d", "auto", "", "Month first"].map(parseDateOrderSetting)).toEqual([
      "dmy",
      "mdy",
      "ymd",
      "auto",
      "auto",
      "mdy",
    ]);
    expect(parseDateOrderSetting("european")).toBeNull();
  });
});

function book(dates: string[], settings: [string, string][] = []) {
  const ve = [
    "Entry No.",
    "Posting Date",
    "Item Ledger Entry Type",
    "Entry Type",
    "Location Code",
    "Inventory Posting Group",
    "Gen. Bus. Posting Group",
    "Gen. Prod. Posting Group",
    "Cost Amount (Actual)",
    "Cost Posted to G/L",
  ];
  return new MemoryWorkbook({
    "Value Entries": T(
      ve,
      ...dates.map((d, i) => [
        i + 1,
        d,
        "Sale",
        "Direct Cost",
        "BLUE",
        "RESALE",
        "DOMESTIC",
        "RETAIL",
        "-10",
        "0",
      ])
    ),
    "Inventory Posting Setup": T(
      ["Location Code", "Invt. Posting Group Code", "Inventory Account"],
      ["BLUE", "RESALE", "2130"]
    ),
    "General Posting Setup": T(
      ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group", "COGS Account"],
      ["DOMESTIC", "RETAIL", "7290"]
    ),
    Settings: T(["Setting", "Value"], ...settings),
  });
}

describe("slashed dates in a table", () => {
  test("auto: one day-first date decides the whole table", async () => {
    const r = await readPostingInput(book(["1/5/2026", "25/01/2026", "12/1/2026"]));
    expect(r.errors).toEqual([]);
    expect(r.input!.valueEntries.map((e) => e.postingDate)).toEqual([
      day("2026-05-01"),
      day("2026-01-25"),
      day("2026-01-12"),
    ]);
  });

  test("auto with nothing to decide: one input error per column naming the setting, nothing read", async () => {
    const r = await readPostingInput(book(["1/5/2026", "2/5/2026", "3/5/2026"]));
    expect(r.input).toBeNull();
    expect(r.errors.map(formatInputError)).toEqual([
      'Value Entries, row 2, column "Posting Date": nothing in this table says whether "1/5/2026" is day-first or month-first (and 2 more slashed dates in this column): set Date Order in Settings (dmy, mdy or ymd), or run glpost with --date-order.',
    ]);
  });

  test("auto with dates both ways: refused, naming one of each", async () => {
    const r = await readPostingInput(book(["25/01/2026", "01/25/2026"]));
    expect(r.errors.map(formatInputError)).toEqual([
      'Value Entries, row 2, column "Posting Date": this table\'s dates read day-first ("25/01/2026") and month-first ("01/25/2026") (and 1 more slashed date in this column): set Date Order in Settings (dmy, mdy or ymd), or run glpost with --date-order.',
    ]);
  });

  test("the Settings' Date Order, and the option over it; a date against the order is an error for its cell", async () => {
    const set = await readPostingInput(book(["1/5/2026", "2/5/2026"], [["Date Order", "mdy"]]));
    expect(set.errors).toEqual([]);
    expect(set.input!.valueEntries.map((e) => e.postingDate)).toEqual([
      day("2026-01-05"),
      day("2026-02-05"),
    ]);
    const cli = await readPostingInput(book(["1/5/2026", "2/5/2026"], [["Date Order", "mdy"]]), {
      dateOrder: "dmy",
    });
    expect(cli.input!.valueEntries.map((e) => e.postingDate)).toEqual([
      day("2026-05-01"),
      day("2026-05-02"),
    ]);
    const against = await readPostingInput(
      book(["1/5/2026", "1/25/2026"], [["Date Order", "dmy"]])
    );
    expect(against.errors.map(formatInputError)).toEqual([
      'Value Entries, row 3, column "Posting Date": "1/25/2026" is not a day-first date (Date Order dmy): there is no month 25',
    ]);
    const bad = await readPostingInput(book(["2026-01-05"], [["Date Order", "european"]]));
    expect(bad.errors.map(formatInputError)).toEqual([
      'Settings, row 2, column "Value": Date Order: "european" is not a date order; use dmy (31/01/2026), mdy (01/31/2026), ymd (2026/01/31) or auto.',
    ]);
  });

  test("the settings' own dates follow the same rules", async () => {
    const r = await readPostingInput(
      book(
        ["2026-01-05"],
        [
          ["Allow Posting From", "1/12/2026"],
          ["Allow Posting To", "31/12/2026"],
        ]
      )
    );
    expect(r.errors).toEqual([]);
    expect(r.input!.settings.allowPostingFrom).toBe(day("2026-12-01"));
    expect(r.input!.settings.allowPostingTo).toBe(day("2026-12-31"));
  });
});

describe("glpost on an en-US CSV export (slashed, month-first dates)", () => {
  async function glpost(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const io: Io = {
      stdout: (s) => void (stdout += s),
      stderr: (s) => void (stderr += s),
      tty: false,
    };
    return { code: await main(argv, io), stdout, stderr };
  }

  /** The bike-chain CSV folder with its Posting Dates written m/d/yyyy (as Excel en-US saves CSV). */
  function usFolder(): string {
    const src = path.join(EXAMPLES, "bike-chain");
    const dir = path.join(tempDir("glpost-us-"), "book");
    fs.mkdirSync(dir);
    for (const f of fs
      .readdirSync(src)
      .filter((x) => x.endsWith(".csv") && !x.startsWith("expected"))) {
      let text = fs.readFileSync(path.join(src, f), "utf8");
      if (f === "Value Entries.csv")
        text = text.replace(
          /\b2026-(\d\d)-(\d\d)\b/g,
          (_, m: string, d: string) => `${+m}/${+d}/2026`
        );
      fs.writeFileSync(path.join(dir, f), text);
    }
    return dir;
  }

  test("posts the same G/L entries as the ISO original (the dates after the 12th decide month-first)", async () => {
    const us = usFolder();
    expect(csvRecords(path.join(us, "Value Entries.csv"))[0]["Posting Date"]).toBe("1/5/2026");
    const iso = path.join(tempDir("glpost-iso-"), "book");
    fs.cpSync(path.join(EXAMPLES, "bike-chain"), iso, { recursive: true });
    for (const f of fs.readdirSync(iso).filter((x) => x.startsWith("expected")))
      fs.rmSync(path.join(iso, f));
    expect((await glpost("post", us, "--method", "entry")).code).toBe(0);
    expect((await glpost("post", iso, "--method", "entry")).code).toBe(0);
    const key = (g: Record<string, string>) =>
      [g["Posting Date"], g["G/L Account No."], g["Amount"]].join(" ");
    const usGl = (await readTable(us, "csv", "G/L Entries")).map(key);
    expect(usGl).toHaveLength(34);
    expect(usGl).toEqual((await readTable(iso, "csv", "G/L Entries")).map(key));
  });

  test("--date-order dmy reads them day-first: 1/14/2026 has no month 14, an input error naming the cell", async () => {
    const r = await glpost(
      "post",
      usFolder(),
      "--method",
      "entry",
      "--date-order",
      "dmy",
      "--json"
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Value Entries, row 8, column "Posting Date": "1/14/2026" is not a day-first date (Date Order dmy): there is no month 14'
    );
  });

  test("a wrong --date-order is a usage error", async () => {
    const r = await glpost("post", usFolder(), "--date-order", "european");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--date-order must be dmy, mdy or ymd, not "european".');
  });
});
