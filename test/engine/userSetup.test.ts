/**
 * Allowed posting dates per user (rules.md section 8): a User Setup row for the run's user takes precedence over
 * settings 2-3, as BC's User Setup Management does; both dates blank falls back to the G/L setup's window.
 */
import { postInventoryCostToGL } from "../../src/engine/post";
import { settingsForUser } from "../../src/engine/userSetup";
import { DEFAULT_SETTINGS } from "../../src/engine/types";
import { MemoryWorkbook } from "../workbook/memory";
import { formatInputError } from "../../src/workbook/inputErrors";
import { readPostingInput } from "../../src/workbook/read";
import { day, input, options, ve } from "./builders";

const jan = {
  ...DEFAULT_SETTINGS,
  allowPostingFrom: day("2026-01-01"),
  allowPostingTo: day("2026-01-31"),
};

describe("settingsForUser", () => {
  const users = [
    { userId: "ANNA", allowPostingFrom: day("2026-02-01"), allowPostingTo: day("2026-02-28") },
    { userId: "BEN", allowPostingFrom: day("2026-01-15"), allowPostingTo: null },
    { userId: "CARL", allowPostingFrom: null, allowPostingTo: null },
  ];
  test("the user's row wins, matched case-insensitively", () => {
    expect(settingsForUser(jan, users, "anna")).toMatchObject({
      allowPostingFrom: day("2026-02-01"),
      allowPostingTo: day("2026-02-28"),
    });
  });
  test("a row with only From set has no end (BC: To 31.12.9999), not the G/L setup's end", () => {
    expect(settingsForUser(jan, users, "BEN")).toMatchObject({
      allowPostingFrom: day("2026-01-15"),
      allowPostingTo: null,
    });
  });
  test("a row with both blank, no row, no table or no user: the settings' window", () => {
    expect(settingsForUser(jan, users, "CARL")).toBe(jan);
    expect(settingsForUser(jan, users, "DORA")).toBe(jan);
    expect(settingsForUser(jan, null, "ANNA")).toBe(jan);
    expect(settingsForUser(jan, users, "")).toBe(jan);
  });
});

describe("a run with a User Setup table", () => {
  // A January entry and a February entry; the settings allow January.
  const entries = [
    ve({
      entryNo: 1,
      postingDate: day("2026-01-20"),
      entryType: "Direct Cost",
      costAmountActual: 7000,
    }),
    ve({
      entryNo: 2,
      postingDate: day("2026-02-10"),
      entryType: "Direct Cost",
      costAmountActual: 3000,
    }),
  ];
  const userSetup = [
    { userId: "ANNA", allowPostingFrom: day("2026-02-01"), allowPostingTo: day("2026-02-28") },
  ];

  test("ANNA may post only February: entry 1 is skipped POSTING_DATE_NOT_ALLOWED, entry 2 posts", () => {
    const r = postInventoryCostToGL(
      input(entries, { userSetup }, jan),
      options({ userId: "ANNA" })
    );
    expect(r.skipped.map((s) => [s.valueEntryNo, s.reasonCode])).toEqual([
      [1, "POSTING_DATE_NOT_ALLOWED"],
    ]);
    expect(r.glEntries.map((g) => g.amount)).toEqual([3000, -3000]);
  });

  test("another user gets the settings' January", () => {
    const r = postInventoryCostToGL(input(entries, { userSetup }, jan), options({ userId: "BEN" }));
    expect(r.skipped.map((s) => [s.valueEntryNo, s.reasonCode])).toEqual([
      [2, "POSTING_DATE_NOT_ALLOWED"],
    ]);
  });

  test("the reader reads the table (duplicate users are input errors)", async () => {
    const T = MemoryWorkbook.table;
    const base = {
      "Value Entries": T(
        [
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
        ],
        [
          1,
          "2026-01-20",
          "Purchase",
          "Direct Cost",
          "BLUE",
          "RESALE",
          "DOMESTIC",
          "RETAIL",
          "70",
          "0",
        ]
      ),
      "Inventory Posting Setup": T(
        ["Location Code", "Invt. Posting Group Code", "Inventory Account"],
        ["BLUE", "RESALE", "2130"]
      ),
      "General Posting Setup": T(
        ["Gen. Bus. Posting Group", "Gen. Prod. Posting Group", "Direct Cost Applied Account"],
        ["DOMESTIC", "RETAIL", "7291"]
      ),
    };
    const ok = await readPostingInput(
      new MemoryWorkbook({
        ...base,
        "User Setup": T(
          ["User ID", "Allow Posting From", "Allow Posting To", "Register Time"],
          ["anna", "2026-02-01", null, "No"]
        ),
      })
    );
    expect(ok.errors).toEqual([]);
    expect(ok.input!.userSetup).toEqual([
      { userId: "ANNA", allowPostingFrom: day("2026-02-01"), allowPostingTo: null },
    ]);
    const r = postInventoryCostToGL(ok.input!, options({ userId: "ANNA" }));
    expect(r.skipped.map((s) => s.reasonCode)).toEqual(["POSTING_DATE_NOT_ALLOWED"]);
    const dup = await readPostingInput(
      new MemoryWorkbook({
        ...base,
        "User Setup": T(["User ID", "Allow Posting From"], ["ANNA", "2026-02-01"], ["anna", null]),
      })
    );
    expect(dup.errors.map(formatInputError)).toEqual([
      'User Setup, row 3, column "User ID": "ANNA" appears more than once (first in row 2); User ID must be unique.',
    ]);
  });
});
