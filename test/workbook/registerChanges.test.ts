/** G/L Register Changes (registerChanges.ts): how a recorded cell is written back, and reading the table. */
import { CENTS } from "../../src/engine/money";
import { cellAsWritten, recordedChanges } from "../../src/workbook/registerChanges";
import type { SourceTable } from "../../src/workbook/port";

describe("cellAsWritten", () => {
  test.each([
    [null, 0, null],
    ["", 0, null],
    ["  ", 0, null],
    [0, 0, 0],
    [165, 16500, 165],
    ["0", 0, "0"],
    ["0.00", 0, "0.00"],
    ["-18", -1800, "-18"],
    // Text that is not plain decimal is written as its amount (a decimal-comma file gets "165,00" back from the adapter).
    ["165,00", 16500, "165.00"],
    ["(18.00)", -1800, "-18.00"],
  ])("%p (amount %p) -> %p", (cell, amount, want) =>
    expect(cellAsWritten(cell, amount, CENTS)).toBe(want)
  );
});

const table = (rows: (string | number | null)[][]): SourceTable => ({
  ref: { name: "G/L Register Changes", kind: "json" },
  header: ["G/L Register No.", "Value Entry No.", "Column", "Previous Value"],
  rows,
  rowNumbers: rows.map((_, i) => i + 2),
});

describe("recordedChanges", () => {
  test("only the register's rows, columns matched loosely", () => {
    const r = recordedChanges(
      table([
        [1, 5, "Cost Posted to G/L", "0"],
        [2, 5, "cost_posted_to_gl", 12.5],
        [2, 6, "Expected Cost Posted to G/L", null],
      ]),
      2,
      CENTS
    );
    expect(r).toEqual({
      rows: [1, 2],
      changes: [
        { valueEntryNo: 5, field: "costPostedToGL", value: 12.5 },
        { valueEntryNo: 6, field: "expectedCostPostedToGL", value: null },
      ],
      problem: null,
    });
  });

  test("an unreadable row is a problem naming table and row", () => {
    expect(recordedChanges(table([[1, 5, "Cost Posted to G/L", "abc"]]), 1, CENTS).problem).toBe(
      'G/L Register Changes, row 2: the Previous Value "abc" is not an amount'
    );
    expect(recordedChanges(table([[1, 5, "Amount", "1"]]), 1, CENTS).problem).toBe(
      'G/L Register Changes, row 2: "Amount" is not a posted column of Value Entries'
    );
    expect(recordedChanges(table([[1, null, "Cost Posted to G/L", "1"]]), 1, CENTS).problem).toBe(
      "G/L Register Changes, row 2 has no readable Value Entry No."
    );
  });
});
