/**
 * One rule, one home (issue 9): the task pane reads the settings with the run's reader, so the Automatic Cost
 * Posting switch and a run never disagree on the same workbook ("Y" and "ja" alike; BC's setup exports too).
 */
import { loadPaneSettings, SETTING_DEFAULTS } from "../../src/excel/settings";
import { isoToDay } from "../../src/engine/dates";
import { MemoryWorkbook } from "../workbook/memory";
import { readPostingInput } from "../../src/workbook/read";

const T = MemoryWorkbook.table;

function book(settingsRows: [string, unknown][]) {
  return new MemoryWorkbook({
    "Value Entries": T([
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
    ]),
    "Inventory Posting Setup": T(["Location Code", "Invt. Posting Group Code"]),
    "General Posting Setup": T(["Gen. Bus. Posting Group", "Gen. Prod. Posting Group"]),
    // BC's General Ledger Setup export: the pane used to ignore it.
    "General Ledger Setup": T(
      ["Allow Posting From", "Allow Posting To", "Additional Reporting Currency"],
      ["2026-01-01", "2026-03-31", "EUR"]
    ),
    Settings: T(["Setting", "Value"], ...(settingsRows as [string, string][])),
  });
}

test.each([
  ["Y", "ja"],
  ["ja", "Y"],
  ["on", "x"],
])(
  "the pane and the run read Automatic Cost Posting %s and Expected Cost Posting %s the same way",
  async (auto, expected) => {
    const wb = book([
      ["Automatic Cost Posting", auto],
      ["Expected Cost Posting to G/L", expected],
      ["Allow Posting To", "2026-02-28"],
    ]);
    const pane = await loadPaneSettings(wb);
    const run = await readPostingInput(wb);
    // (The empty Value Entries table lacks the expected-cost and ACY columns these settings require: not the point here.)
    expect(run.errors.filter((e) => e.table !== "Value Entries")).toEqual([]);
    const s = run.context.settings;
    expect(s.automaticCostPosting).toBe(true);
    expect(s.expectedCostPostingToGL).toBe(true);
    expect(pane.values.automaticCostPosting).toBe("Yes");
    expect(pane.values.expectedCostPostingToGL).toBe("Yes");
    // The export's values, with the Settings table over them, in both.
    expect(s.allowPostingFrom).toBe(isoToDay("2026-01-01"));
    expect(pane.values.allowPostingFrom).toBe("2026-01-01");
    expect(s.allowPostingTo).toBe(isoToDay("2026-02-28"));
    expect(pane.values.allowPostingTo).toBe("2026-02-28");
    expect(pane.values.additionalReportingCurrency).toBe("EUR");
    expect(pane.errors).toEqual([]);
  }
);

test("a value the run cannot read is an error the pane reports too, and both keep the default", async () => {
  const wb = book([["Automatic Cost Posting", "perhaps"]]);
  const pane = await loadPaneSettings(wb);
  const run = await readPostingInput(wb);
  expect(run.input).toBeNull();
  expect(run.context.settings.automaticCostPosting).toBe(false);
  expect(pane.values.automaticCostPosting).toBe(SETTING_DEFAULTS.automaticCostPosting);
  expect(pane.errors).toEqual([
    'Settings, row 2, column "Value": Automatic Cost Posting: "perhaps" is not Yes or No',
  ]);
});
