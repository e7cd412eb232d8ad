import { AutoPoster, postEntriesViaRun, type AutoPostReport } from "../../src/excel/autoPost";
import { buildWorkbook, excelRunFor } from "./fake";
import type { RunOutcome } from "../../src/app/run";
import { portFor } from "./helpers";

function setup(kind: "table" | "sheet") {
  const model = buildWorkbook([
    {
      name: "Value Entries",
      table: kind === "table" ? "ValueEntries" : undefined,
      rows: [
        ["Entry No.", "Item No.", "Cost Amount (Actual)", "Cost Posted to G/L"],
        [1, "A", 10, 10],
        [2, "B", 20, 0],
      ],
    },
  ]);
  const port = portFor(model);
  const calls: number[][] = [];
  const reports: AutoPostReport[] = [];
  let notify: () => void = () => undefined;
  const postEntries = async (_port: unknown, entryNos: number[]): Promise<RunOutcome> => {
    calls.push(entryNos);
    return {
      kind: "done",
      summary: {
        postingMethod: "per Entry",
        documentNo: "",
        dryRun: false,
        entries: {
          posted: entryNos.filter((n) => n !== 4).length,
          alreadyPosted: 0,
          ignored: 0,
          skipped: entryNos.includes(4) ? 1 : 0,
        },
        glEntries: 2,
        registerNo: 1,
        fromEntryNo: 1,
        toEntryNo: 2,
        totals: { debit: "1.00", credit: "1.00" },
        skipped: entryNos.includes(4)
          ? [
              {
                entryNo: 4,
                reasonCode: "ACCOUNT_MISSING",
                reason: "Inventory Account is missing in Inventory Posting Setup, BLUE RESALE.",
              },
            ]
          : [],
        overriddenDimensionErrors: 0,
      },
    };
  };
  const poster = new AutoPoster({
    run: excelRunFor(model),
    port,
    postEntries,
    debounceMs: 5,
    onReport: (r) => {
      reports.push(r);
      notify();
    },
  });
  const nextReport = () => new Promise<void>((resolve) => (notify = resolve));
  return { model, port, poster, calls, reports, nextReport };
}

const settle = () => new Promise((r) => setTimeout(r, 40));

describe("Automatic Cost Posting", () => {
  test.each(["table", "sheet"] as const)(
    "rows added or changed in Value Entries (%s) post per Entry at once; problems are reported per row",
    async (kind) => {
      const { model, poster, calls, reports, nextReport } = setup(kind);
      expect(await poster.start()).toBe(true);

      let next = nextReport();
      model.userEdit("Value Entries", "A4:C5", [
        [3, "C", 30],
        [4, "D", 40],
      ]);
      await next;
      expect(calls).toEqual([[3, 4]]);
      expect(reports[0].posted).toBe(1);
      expect(reports[0].problems).toEqual([
        {
          row: 5,
          entryNo: 4,
          message:
            "ACCOUNT_MISSING: Inventory Account is missing in Inventory Posting Setup, BLUE RESALE.",
        },
      ]);

      next = nextReport();
      model.userEdit("Value Entries", "C3", [[25]]);
      await next;
      expect(calls[1]).toEqual([2]);
      await poster.stop();
    }
  );

  test("several quick edits post together", async () => {
    const { model, poster, calls, nextReport } = setup("table");
    await poster.start();
    const next = nextReport();
    model.userEdit("Value Entries", "C2", [[11]]);
    model.userEdit("Value Entries", "C3", [[21]]);
    await next;
    expect(calls).toEqual([[1, 2]]);
    await poster.stop();
  });

  test("changes to the posted columns only, and the add-in's own writes, post nothing", async () => {
    const { model, port, poster, calls } = setup("table");
    await poster.start();
    model.userEdit("Value Entries", "D3", [[20]]);
    const ve = await port.readTable({ name: "ValueEntries", kind: "table" });
    await port.write(
      [
        {
          kind: "update",
          table: ve.ref,
          columns: [
            { name: "Cost Posted to G/L", format: "money" },
            { name: "Item No.", format: "text" },
          ],
          updates: [{ row: 1, values: ["20.00", "B"] }],
        },
      ],
      null
    );
    await settle();
    expect(calls).toEqual([]);
    await poster.stop();
    model.userEdit("Value Entries", "C2", [[99]]);
    await settle();
    expect(calls).toEqual([]);
  });

  test("no Value Entries table: nothing to watch", async () => {
    const model = buildWorkbook([{ name: "Other", rows: [["x"]] }]);
    const poster = new AutoPoster({
      run: excelRunFor(model),
      port: portFor(model),
      onReport: () => undefined,
    });
    expect(await poster.start()).toBe(false);
  });
});

describe("Automatic Cost Posting with the real run (rules.md section 8)", () => {
  // The fifo example, with entries 1-3 already posted: only rows added or changed afterwards take part.
  function fifoBook(defaultDimensions: (string | number)[][] = []) {
    const model = buildWorkbook([
      {
        name: "Value Entries",
        table: "ValueEntries",
        rows: [
          [
            "Entry No.",
            "Posting Date",
            "Item No.",
            "Item Ledger Entry Type",
            "Entry Type",
            "Location Code",
            "Inventory Posting Group",
            "Gen. Bus. Posting Group",
            "Gen. Prod. Posting Group",
            "Document No.",
            "Cost Amount (Actual)",
            "Cost Posted to G/L",
          ],
          [
            1,
            "2020-01-01",
            "1000",
            "Purchase",
            "Direct Cost",
            "BLUE",
            "RESALE",
            "DOMESTIC",
            "RETAIL",
            "107001",
            70,
            70,
          ],
          [
            2,
            "2020-01-01",
            "1000",
            "Purchase",
            "Indirect Cost",
            "BLUE",
            "RESALE",
            "DOMESTIC",
            "RETAIL",
            "107001",
            10,
            10,
          ],
          [
            3,
            "2020-01-15",
            "1000",
            "Sale",
            "Direct Cost",
            "BLUE",
            "RESALE",
            "DOMESTIC",
            "RETAIL",
            "103001",
            -80,
            0,
          ],
        ],
      },
      {
        name: "Inventory Posting Setup",
        table: "InventoryPostingSetup",
        rows: [
          [
            "Location Code",
            "Invt. Posting Group Code",
            "Inventory Account",
            "Inventory Account (Interim)",
          ],
          ["BLUE", "RESALE", "2130", "2131"],
        ],
      },
      {
        name: "General Posting Setup",
        table: "GeneralPostingSetup",
        rows: [
          [
            "Gen. Bus. Posting Group",
            "Gen. Prod. Posting Group",
            "COGS Account",
            "Inventory Adjmt. Account",
            "Direct Cost Applied Account",
            "Overhead Applied Account",
          ],
          ["DOMESTIC", "RETAIL", "7290", "7270", "7291", "7292"],
        ],
      },
      {
        name: "Settings",
        rows: [
          ["Setting", "Value"],
          ["Automatic Cost Posting", "Yes"],
        ],
      },
      ...(defaultDimensions.length > 0
        ? [
            {
              name: "Default Dimensions",
              rows: [
                ["No.", "Dimension Code", "Dimension Value Code", "Value Posting"],
                ...defaultDimensions,
              ],
            },
          ]
        : []),
    ]);
    const port = portFor(model);
    const reports: AutoPostReport[] = [];
    let notify: () => void = () => undefined;
    const poster = new AutoPoster({
      run: excelRunFor(model),
      port,
      postEntries: postEntriesViaRun,
      debounceMs: 5,
      onReport: (r) => (reports.push(r), notify()),
    });
    const nextReport = () => new Promise<void>((resolve) => (notify = resolve));
    return { model, poster, reports, nextReport };
  }

  test("a new row posts per Entry at once; the other unposted rows wait for the batch run", async () => {
    const { model, poster, reports, nextReport } = fifoBook();
    await poster.start();
    const next = nextReport();
    model.userEdit("Value Entries", "A5:L5", [
      [
        4,
        "2020-01-20",
        "1000",
        "Positive Adjmt.",
        "Direct Cost",
        "BLUE",
        "RESALE",
        "DOMESTIC",
        "RETAIL",
        "ADJ-1",
        5,
        0,
      ],
    ]);
    await next;
    await poster.stop();
    expect(reports[0]).toMatchObject({ entryNos: [4], posted: 1, problems: [] });
    const gl = model.sheetValues("GL Entries");
    const header = gl[0] as string[];
    const col = (name: string) => header.indexOf(name);
    // Entry 4 only (Inventory / Inventory Adjmt.), with its own document no.; entry 3 (unposted) did not take part.
    expect(
      gl.slice(1).map((r) => [r[col("G/L Account No.")], r[col("Amount")], r[col("Document No.")]])
    ).toEqual([
      ["2130", 5, "ADJ-1"],
      ["7270", -5, "ADJ-1"],
    ]);
    const ve = model.sheetValues("Value Entries");
    const posted = (ve[0] as string[]).indexOf("Cost Posted to G/L");
    expect(ve.slice(1).map((r) => r[posted])).toEqual([70, 10, 0, 5]);
  });

  test("a dimension rule is enforced: the row is reported and stays unposted", async () => {
    const { model, poster, reports, nextReport } = fifoBook([
      ["7270", "DEPARTMENT", "", "Code Mandatory"],
    ]);
    await poster.start();
    const next = nextReport();
    model.userEdit("Value Entries", "A5:L5", [
      [
        4,
        "2020-01-20",
        "1000",
        "Positive Adjmt.",
        "Direct Cost",
        "BLUE",
        "RESALE",
        "DOMESTIC",
        "RETAIL",
        "ADJ-1",
        5,
        0,
      ],
    ]);
    await next;
    await poster.stop();
    expect(reports[0].posted).toBe(0);
    expect(reports[0].problems).toEqual([
      {
        row: 5,
        entryNo: 4,
        message: expect.stringMatching(
          /^DIMENSION_RULE: Select a Dimension Value Code for the Dimension Code DEPARTMENT for G\/L Account 7270/
        ),
      },
    ]);
    expect(model.sheet("GL Entries")).toBeUndefined();
    // No Skipped Entries sheet either: that list belongs to the batch run.
    expect(model.sheet("Skipped Entries")).toBeUndefined();
  });
});
