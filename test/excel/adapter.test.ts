import { ConcurrentChangeError, type WriteGuard } from "../../src/workbook/port";
import { buildWorkbook, tableValues, WorkbookModel } from "./fake";
import { accountingFormat } from "../../src/excel/cells";
import {
  GL_ENTRIES,
  GL_ENTRY_COLUMNS,
  GL_REGISTERS,
  SKIPPED,
  VALUE_ENTRY_COLUMNS,
  glEntryRow,
  portFor,
  valueEntryRow,
} from "./helpers";

function smallWorkbook(): WorkbookModel {
  return buildWorkbook([
    {
      name: "Value Entries",
      at: "B3",
      table: "ValueEntries",
      rows: [
        [
          "Entry No.",
          "Item No.",
          "Posting Date",
          "cost_amount_actual",
          "CostPostedToGL",
          "Expected Cost Posted to G/L",
          "Note",
        ],
        [1, "1000", 46023, 165, 0, 0, "keep me"],
        [2, "1000", 46024, 70.5, 0, 0, null],
        [3, "2000", 46025, -18, -18, 0, "done"],
      ],
    },
    {
      name: "Inventory Posting Setup",
      at: "A1",
      rows: [
        [null, null, null],
        ["Location Code", "Invt. Posting Group Code", "Inventory Account"],
        ["BLUE", "RESALE", "2130"],
        [null, null, null],
        ["", "RESALE", "2130"],
      ],
    },
    { name: "Empty", rows: [] },
    {
      name: "G-L Registers",
      table: "GLRegisters",
      rows: [
        ["No.", "From Entry No.", "To Entry No.", "Document No."],
        [1, 1, 4, "INVT-2026-01"],
        [2, 5, 8, "INVT-2026-02"],
      ],
    },
  ]);
}

describe("ExcelWorkbookPort: discovery and reading", () => {
  test("lists Excel tables and non-empty worksheets", async () => {
    const port = portFor(smallWorkbook());
    const refs = await port.listTables();
    expect(refs).toEqual([
      { name: "ValueEntries", kind: "table", sheet: "Value Entries" },
      { name: "Value Entries", kind: "sheet", sheet: "Value Entries" },
      { name: "Inventory Posting Setup", kind: "sheet", sheet: "Inventory Posting Setup" },
      { name: "GLRegisters", kind: "table", sheet: "G-L Registers" },
      { name: "G-L Registers", kind: "sheet", sheet: "G-L Registers" },
    ]);
  });

  test("reads an Excel table: header, rows, blanks as null, sheet row numbers", async () => {
    const port = portFor(smallWorkbook());
    const t = await port.readTable({ name: "ValueEntries", kind: "table" });
    expect(t.header).toEqual([
      "Entry No.",
      "Item No.",
      "Posting Date",
      "cost_amount_actual",
      "CostPostedToGL",
      "Expected Cost Posted to G/L",
      "Note",
    ]);
    expect(t.rows).toEqual([
      [1, "1000", 46023, 165, 0, 0, "keep me"],
      [2, "1000", 46024, 70.5, 0, 0, null],
      [3, "2000", 46025, -18, -18, 0, "done"],
    ]);
    expect(t.rowNumbers).toEqual([4, 5, 6]);
    expect(t.ref.sheet).toBe("Value Entries");
  });

  test("reads a plain sheet: first non-empty row is the header, blank rows inside are kept", async () => {
    const port = portFor(smallWorkbook());
    const t = await port.readTable({
      name: "Inventory Posting Setup",
      kind: "sheet",
      sheet: "Inventory Posting Setup",
    });
    expect(t.header).toEqual(["Location Code", "Invt. Posting Group Code", "Inventory Account"]);
    expect(t.rows).toEqual([
      ["BLUE", "RESALE", "2130"],
      [null, null, null],
      [null, "RESALE", "2130"],
    ]);
    expect(t.rowNumbers).toEqual([3, 4, 5]);
  });

  test("a missing table is an error", async () => {
    await expect(
      portFor(smallWorkbook()).readTable({ name: "Nope", kind: "table" })
    ).rejects.toThrow(/not found/);
  });
});

describe("ExcelWorkbookPort: writing", () => {
  test("updates posted columns in place, matching headers loosely; nothing else changes", async () => {
    const model = smallWorkbook();
    const port = portFor(model);
    const ve = await port.readTable({ name: "ValueEntries", kind: "table" });
    const before = tableValues(model, "ValueEntries");
    await port.write(
      [
        {
          kind: "update",
          table: ve.ref,
          columns: [
            { name: "Cost Posted to G/L", format: "money" },
            { name: "Expected Cost Posted to G/L", format: "money" },
          ],
          updates: [
            { row: 0, values: ["165.00", "0.00"] },
            { row: 1, values: ["70.50", null] },
          ],
        },
      ],
      null
    );
    const after = tableValues(model, "ValueEntries");
    expect(after[1]).toEqual([1, "1000", 46023, 165, 165, 0, "keep me"]);
    expect(after[2]).toEqual([2, "1000", 46024, 70.5, 70.5, "", ""]);
    expect(after[3]).toEqual(before[3]);
    expect(after[0]).toEqual(before[0]);
    // formats of existing columns untouched
    const sheet = model.sheet("Value Entries")!;
    expect(sheet.format(3, 5)).toBe("General");
  });

  test("an update naming a column the table lacks adds it after the last column", async () => {
    const model = smallWorkbook();
    const port = portFor(model);
    const ve = await port.readTable({ name: "ValueEntries", kind: "table" });
    await port.write(
      [
        {
          kind: "update",
          table: ve.ref,
          columns: [{ name: "Cost Posted to G/L (ACY)", format: "money" }],
          updates: [{ row: 2, values: ["1.50"] }],
        },
      ],
      null
    );
    const v = tableValues(model, "ValueEntries");
    expect(v[0][7]).toBe("Cost Posted to G/L (ACY)");
    expect(v[3][7]).toBe(1.5);
    expect(model.sheet("Value Entries")!.format(5, 8)).toBe(accountingFormat(2));
  });

  test("appends to an existing Excel table: unknown columns stay blank, text stays text, money and dates formatted", async () => {
    const model = buildWorkbook([
      {
        name: "G-L Entries",
        table: "GLEntries",
        rows: [
          ["Entry No.", "G/L Account No.", "Amount", "Posting Date", "My Note"],
          [1, "2130", 10, 46023, "mine"],
        ],
      },
    ]);
    const port = portFor(model);
    await port.write(
      [
        {
          kind: "append",
          names: GL_ENTRIES,
          existing: { name: "GLEntries", kind: "table" },
          columns: [
            { name: "Entry No.", format: "integer" },
            { name: "g/l account no", format: "text" },
            { name: "Amount", format: "money" },
            { name: "Posting Date", format: "date" },
            { name: "Document No.", format: "text" },
          ],
          rows: [
            [2, "2130", "-165.00", "2026-01-31", "INVT-2026-01"],
            [3, "7290", "165.00", "2026-01-31", "0042"],
          ],
        },
      ],
      null
    );
    expect(tableValues(model, "GLEntries")).toEqual([
      ["Entry No.", "G/L Account No.", "Amount", "Posting Date", "My Note", "Document No."],
      [1, "2130", 10, 46023, "mine", ""],
      [2, "2130", -165, 46053, "", "INVT-2026-01"],
      [3, "7290", 165, 46053, "", "0042"],
    ]);
    const s = model.sheet("G-L Entries")!;
    expect(s.format(2, 2)).toBe(accountingFormat(2));
    expect(s.format(2, 3)).toBe("yyyy-mm-dd");
    expect(s.format(3, 1)).toBe("@");
  });

  test("appends into a new, empty Excel table (its one blank row is used)", async () => {
    const model = buildWorkbook([
      { name: "Regs", table: "GLRegisters", rows: [["No.", "Document No."]] },
    ]);
    const port = portFor(model);
    await port.write(
      [
        {
          kind: "append",
          names: GL_REGISTERS,
          existing: { name: "GLRegisters", kind: "table" },
          columns: [
            { name: "No.", format: "integer" },
            { name: "Document No.", format: "text" },
          ],
          rows: [
            [1, "A"],
            [2, "B"],
          ],
        },
      ],
      null
    );
    expect(tableValues(model, "GLRegisters")).toEqual([
      ["No.", "Document No."],
      [1, "A"],
      [2, "B"],
    ]);
  });

  test("appends under the last row of a plain sheet", async () => {
    const model = buildWorkbook([
      {
        name: "GL",
        rows: [
          ["Entry No.", "Amount"],
          [1, 5],
          [null, null],
          [2, 6],
        ],
      },
    ]);
    const port = portFor(model);
    await port.write(
      [
        {
          kind: "append",
          names: GL_ENTRIES,
          existing: { name: "GL", kind: "sheet", sheet: "GL" },
          columns: [
            { name: "Entry No.", format: "integer" },
            { name: "Amount", format: "money" },
          ],
          rows: [[3, "7.25"]],
        },
      ],
      null
    );
    expect(model.sheetValues("GL")).toEqual([
      ["Entry No.", "Amount"],
      [1, 5],
      ["", ""],
      [2, 6],
      [3, 7.25],
    ]);
  });

  test("creates a missing table as a formatted Excel table on a new sheet", async () => {
    const model = smallWorkbook();
    const port = portFor(model);
    await port.write(
      [
        {
          kind: "append",
          names: GL_ENTRIES,
          columns: GL_ENTRY_COLUMNS,
          rows: [glEntryRow(1), glEntryRow(2)],
        },
      ],
      null
    );
    const t = model.table("GLEntries")!;
    expect(t.sheet.name).toBe("G-L Entries");
    expect(t.style).toBe("TableStyleMedium2");
    const v = tableValues(model, "GLEntries");
    expect(v[0]).toEqual(GL_ENTRY_COLUMNS.map((c) => c.name));
    expect(v[1].slice(0, 10)).toEqual([
      1,
      46037,
      "INVT-2026-01",
      "",
      "2130",
      "Inventory",
      "Inventory - Inventory Adjmt., BLUE,RESALE,DOMESTIC,RETAIL",
      -2.5,
      0,
      2.5,
    ]);
    expect(v[1][12]).toBe("Yes");
    expect(t.sheet.format(1, 1)).toBe("yyyy-mm-dd");
    expect(t.sheet.format(1, 4)).toBe("@");
    expect(t.sheet.format(1, 7)).toBe(accountingFormat(2));
  });

  test("a new sheet name already taken by a non-empty sheet gets a suffix; a blank one is reused", async () => {
    const model = buildWorkbook([
      { name: "Skipped Entries", rows: [["something else"]] },
      { name: "G-L Entries", rows: [] },
    ]);
    const port = portFor(model);
    await port.write(
      [
        {
          kind: "replace",
          names: SKIPPED,
          columns: [{ name: "Value Entry No.", format: "integer" }],
          rows: [[7]],
        },
        {
          kind: "append",
          names: GL_ENTRIES,
          columns: [{ name: "Entry No.", format: "integer" }],
          rows: [[1]],
        },
      ],
      null
    );
    expect(model.table("SkippedEntries")!.sheet.name).toBe("Skipped Entries (2)");
    expect(model.table("GLEntries")!.sheet.name).toBe("G-L Entries");
    expect(model.sheetValues("Skipped Entries")).toEqual([["something else"]]);
  });

  test("replace keeps an Excel table in place and replaces its rows (shrinking and growing)", async () => {
    const model = buildWorkbook([
      {
        name: "Skipped",
        table: "SkippedEntries",
        at: "C2",
        rows: [
          ["Value Entry No.", "Reason Code", "Mine"],
          [1, "A", "x"],
          [2, "B", "y"],
          [3, "C", "z"],
        ],
      },
    ]);
    model.sheet("Skipped")!.set(10, 2, "below");
    const port = portFor(model);
    const columns = [
      { name: "Value Entry No.", format: "integer" as const },
      { name: "Reason Code", format: "text" as const },
    ];
    const ref = { name: "SkippedEntries", kind: "table" as const };
    await port.write(
      [{ kind: "replace", names: SKIPPED, existing: ref, columns, rows: [[9, "Z"]] }],
      null
    );
    expect(tableValues(model, "SkippedEntries")).toEqual([
      ["Value Entry No.", "Reason Code", "Mine"],
      [9, "Z", ""],
    ]);
    expect(model.table("SkippedEntries")!.box.row).toBe(1);
    expect(model.sheet("Skipped")!.get(8, 2)).toBe("below");
    await port.write(
      [
        {
          kind: "replace",
          names: SKIPPED,
          existing: ref,
          columns,
          rows: [
            [1, "A"],
            [2, "B"],
            [3, "C"],
          ],
        },
      ],
      null
    );
    expect(tableValues(model, "SkippedEntries")).toEqual([
      ["Value Entry No.", "Reason Code", "Mine"],
      [1, "A", ""],
      [2, "B", ""],
      [3, "C", ""],
    ]);
    await port.write([{ kind: "replace", names: SKIPPED, existing: ref, columns, rows: [] }], null);
    expect(tableValues(model, "SkippedEntries")).toEqual([
      ["Value Entry No.", "Reason Code", "Mine"],
      ["", "", ""],
    ]);
  });

  test("replace on a plain sheet clears the old rows under the header", async () => {
    const model = buildWorkbook([
      {
        name: "Skipped Entries",
        rows: [
          ["Value Entry No.", "Reason Code"],
          [1, "A"],
          [2, "B"],
        ],
      },
    ]);
    const port = portFor(model);
    await port.write(
      [
        {
          kind: "replace",
          names: SKIPPED,
          existing: { name: "Skipped Entries", kind: "sheet", sheet: "Skipped Entries" },
          columns: [
            { name: "Value Entry No.", format: "integer" },
            { name: "Reason Code", format: "text" },
          ],
          rows: [[5, "E"]],
        },
      ],
      null
    );
    expect(model.sheetValues("Skipped Entries")).toEqual([
      ["Value Entry No.", "Reason Code"],
      [5, "E"],
    ]);
  });

  test("progress counts rows written", async () => {
    const model = smallWorkbook();
    const port = portFor(model);
    const calls: [number, number, string][] = [];
    await port.write(
      [
        {
          kind: "append",
          names: GL_ENTRIES,
          columns: GL_ENTRY_COLUMNS,
          rows: [glEntryRow(1), glEntryRow(2), glEntryRow(3)],
        },
      ],
      null,
      (d, t, w) => calls.push([d, t, w])
    );
    expect(calls[calls.length - 1]).toEqual([3, 3, "G/L Entries"]);
  });
});

describe("ExcelWorkbookPort: the concurrency guard", () => {
  async function readForGuard(model: WorkbookModel) {
    const port = portFor(model);
    const ve = await port.readTable({ name: "ValueEntries", kind: "table" });
    const cols = [4, 5];
    const guard: WriteGuard = {
      valueEntries: ve.ref,
      postedColumns: cols.map((c) => ve.header[c]),
      postedValues: ve.rows.map((r) => cols.map((c) => r[c])),
      lastRegisterNo: 2,
    };
    const writes = [
      {
        kind: "update" as const,
        table: ve.ref,
        columns: [{ name: "Cost Posted to G/L", format: "money" as const }],
        updates: [{ row: 0, values: ["165.00"] }],
      },
      {
        kind: "append" as const,
        names: GL_REGISTERS,
        existing: { name: "GLRegisters", kind: "table" as const },
        columns: [{ name: "No.", format: "integer" as const }],
        rows: [[3]],
      },
    ];
    return { port, guard, writes };
  }

  test("writes when nothing changed", async () => {
    const model = smallWorkbook();
    const { port, guard, writes } = await readForGuard(model);
    await port.write(writes, guard);
    expect(tableValues(model, "ValueEntries")[1][4]).toBe(165);
    expect(tableValues(model, "GLRegisters")[3][0]).toBe(3);
  });

  test.each([
    ["someone posted the entry", (m: WorkbookModel) => m.userEdit("Value Entries", "F4", [[165]])],
    ["someone registered a run", (m: WorkbookModel) => m.userEdit("G-L Registers", "A4", [[3]])],
    [
      "a row was inserted above",
      (m: WorkbookModel) => {
        const s = m.sheet("Value Entries")!;
        s.insertRows(3, 1, 1, 7);
        m.table("ValueEntries")!.box.rowCount++;
        s.set(3, 1, 99);
        s.set(3, 5, 0);
        s.set(3, 6, 0);
      },
    ],
    [
      "the posted column was deleted",
      (m: WorkbookModel) => m.userEdit("Value Entries", "F3", [["Something else"]]),
    ],
  ])("refuses and writes nothing when %s", async (_what, change) => {
    const model = smallWorkbook();
    const { port, guard, writes } = await readForGuard(model);
    change(model);
    const snapshot = JSON.stringify([
      tableValues(model, "ValueEntries"),
      tableValues(model, "GLRegisters"),
    ]);
    const syncsBefore = model.syncs.length;
    await expect(port.write(writes, guard)).rejects.toBeInstanceOf(ConcurrentChangeError);
    expect(
      JSON.stringify([tableValues(model, "ValueEntries"), tableValues(model, "GLRegisters")])
    ).toBe(snapshot);
    expect(model.syncs.slice(syncsBefore).every((s) => s.writes === 0)).toBe(true);
  });
});

describe("ExcelWorkbookPort: 100,000 rows in chunks under the payload limit", () => {
  const N = 100_000;
  const LIMIT = 5 * 1024 * 1024;

  test("reads, updates posted columns and appends 100,000 G/L entries; every request and response is measured under the limit", async () => {
    const header = VALUE_ENTRY_COLUMNS;
    const rows = [header as (string | number | boolean | null)[]];
    for (let i = 1; i <= N; i++) rows.push(valueEntryRow(i));
    const model = buildWorkbook([
      { name: "Value Entries", table: "ValueEntries", rows },
      { name: "G-L Registers", table: "GLRegisters", rows: [["No.", "From Entry No."]] },
    ]);
    model.limits = { requestBytes: LIMIT, responseBytes: LIMIT };
    const port = portFor(model);

    let start = model.syncs.length;
    const ve = await port.readTable({ name: "ValueEntries", kind: "table" });
    const readSyncs = model.syncs.slice(start);
    expect(ve.rows).toHaveLength(N);
    expect(ve.rows[N - 1][0]).toBe(N);
    expect(ve.rowNumbers[N - 1]).toBe(N + 1);

    const posted = [
      header.indexOf("Cost Posted to G/L"),
      header.indexOf("Expected Cost Posted to G/L"),
    ];
    const guard: WriteGuard = {
      valueEntries: ve.ref,
      postedColumns: posted.map((c) => header[c]),
      postedValues: ve.rows.map((r) => posted.map((c) => r[c])),
      lastRegisterNo: 0,
    };
    const glRows = [];
    for (let i = 1; i <= N; i++) glRows.push(glEntryRow(i));
    start = model.syncs.length;
    const progress: number[] = [];
    await port.write(
      [
        {
          kind: "update",
          table: ve.ref,
          columns: [{ name: "Cost Posted to G/L", format: "money" }],
          updates: ve.rows.map((r, i) => ({ row: i, values: [Number(r[18]).toFixed(2)] })),
        },
        { kind: "append", names: GL_ENTRIES, columns: GL_ENTRY_COLUMNS, rows: glRows },
        {
          kind: "append",
          names: GL_REGISTERS,
          existing: { name: "GLRegisters", kind: "table" },
          columns: [
            { name: "No.", format: "integer" },
            { name: "From Entry No.", format: "integer" },
          ],
          rows: [[1, 1]],
        },
      ],
      guard,
      (done) => progress.push(done)
    );
    const writeSyncs = model.syncs.slice(start);
    const all = [...readSyncs, ...writeSyncs];
    const maxReq = Math.max(...all.map((s) => s.requestBytes));
    const maxRes = Math.max(...all.map((s) => s.responseBytes));
    const writing = writeSyncs.filter((s) => s.writes > 0);
    console.log(
      `100k rows: read ${readSyncs.length} syncs (max response ${maxRes} B); write ${writeSyncs.length} syncs, ` +
        `${writing.length} writing (max request ${maxReq} B, total ${writing.reduce((n, s) => n + s.requestBytes, 0)} B)`
    );
    expect(maxReq).toBeLessThan(port.payloadBudget + 1);
    expect(maxRes).toBeLessThan(port.payloadBudget * 1.5);
    expect(maxReq).toBeLessThan(LIMIT / 2);
    expect(maxRes).toBeLessThan(LIMIT / 2);
    // few round trips: tens, not thousands
    expect(readSyncs.length).toBeLessThan(40);
    expect(writeSyncs.length).toBeLessThan(60);
    // calculation and screen updating held off for every writing sync
    expect(writing.every((s) => s.calculationSuspended && s.screenUpdatingSuspended)).toBe(true);
    expect(progress[progress.length - 1]).toBe(2 * N + 1);

    const gl = model.table("GLEntries")!;
    expect(gl.bodyRowCount).toBe(N);
    expect(gl.sheet.get(N, 0)).toBe(N);
    expect(gl.sheet.get(N, 4)).toBe("7290");
    const veSheet = model.sheet("Value Entries")!;
    expect(veSheet.get(N, 20)).toBe(valueEntryRow(N)[18]);
  }, 120_000);

  test("a sync over the limit fails in the fake, as in Excel on the web", async () => {
    const model = buildWorkbook([{ name: "S", rows: [["a"]] }]);
    model.limits = { requestBytes: 1000, responseBytes: 1000 };
    const port = portFor(model, 100_000);
    await expect(
      port.write(
        [
          {
            kind: "append",
            names: GL_ENTRIES,
            columns: [{ name: "x", format: "text" }],
            rows: Array.from({ length: 500 }, (_, i) => [`row ${i}`]),
          },
        ],
        null
      )
    ).rejects.toThrow(/exceeds the limit/);
  });
});

describe("ExcelWorkbookPort: events", () => {
  test("its own writes raise no change events; events are back on afterwards", async () => {
    const model = smallWorkbook();
    const port = portFor(model);
    const seen: string[] = [];
    model.addChangeListener((e) => seen.push(e.sheet.name));
    const ve = await port.readTable({ name: "ValueEntries", kind: "table" });
    await port.write(
      [
        {
          kind: "update",
          table: ve.ref,
          columns: [{ name: "Cost Posted to G/L", format: "money" }],
          updates: [{ row: 0, values: ["1.00"] }],
        },
      ],
      null
    );
    expect(seen).toEqual([]);
    expect(model.eventsEnabled).toBe(true);
    model.userEdit("Value Entries", "C4", [["x"]]);
    expect(seen).toEqual(["Value Entries"]);
  });
});
