/**
 * =INVT.GLPOST, SKIPPED, TOTALS, GLACCOUNT, COSTTOPOST called directly (2-D ranges in, spilled values out),
 * their error values, their caches, the generated functions.json, and the functions on the bundled sample's
 * tables against a CLI run of the same workbook.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import {
  clearFormulaCaches,
  formulaFunctions,
  formulaStats,
  GL_ENTRY_HEADER,
  SKIPPED_HEADER,
} from "../../src/excel/functions/formulas";
import {
  FormulaError,
  RangeWorkbook,
  tableFromRange,
  type ErrorFactory,
} from "../../src/excel/functions/ranges";
import { postWorkbook } from "../../src/app/run";
import { openWorkbook } from "../../src/files/open";
import { findTable, looseName } from "../../src/workbook/names";
import type { CellValue, SourceTable, WorkbookPort } from "../../src/workbook/port";
import { GL_ENTRY_COLUMNS, SKIPPED_COLUMNS } from "../../src/workbook/outputSchema";

const F = formulaFunctions();
/** 2026-01-05 etc. as Excel serials (days since 1899-12-30), computed independently of the product. */
const serial = (iso: string) =>
  Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86400000 + 25569;

const VE_HEADER = [
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
];
function ve(): unknown[][] {
  return [
    VE_HEADER,
    [
      1,
      serial("2026-01-05"),
      "LINK",
      "Purchase",
      "Direct Cost",
      "BLUE",
      "RAW MAT",
      "DOMESTIC",
      "RAW MAT",
      "PI-1",
      165,
      0,
    ],
    [
      2,
      serial("2026-01-06"),
      "LINK",
      "Sale",
      "Direct Cost",
      "BLUE",
      "RAW MAT",
      "DOMESTIC",
      "RAW MAT",
      "SI-1",
      -40,
      "",
    ],
    // No Inventory Posting Setup row for RED: skipped.
    [
      3,
      serial("2026-01-06"),
      "LINK",
      "Purchase",
      "Direct Cost",
      "RED",
      "RAW MAT",
      "DOMESTIC",
      "RAW MAT",
      "PI-2",
      10,
      0,
    ],
  ];
}
const ips = (): unknown[][] => [
  ["Location Code", "Invt. Posting Group Code", "Inventory Account"],
  ["BLUE", "RAW MAT", "2130"],
];
const gps = (): unknown[][] => [
  [
    "Gen. Bus. Posting Group",
    "Gen. Prod. Posting Group",
    "Direct Cost Applied Account",
    "COGS Account",
  ],
  ["DOMESTIC", "RAW MAT", "7291", "7290"],
];

const col = (name: string) => GL_ENTRY_HEADER.indexOf(name);
const pick = (rows: unknown[][], names: string[], header: string[]) =>
  rows.map((r) => names.map((n) => r[header.indexOf(n)]));

async function formulaError(p: Promise<unknown>): Promise<FormulaError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FormulaError);
    return e as FormulaError;
  }
  throw new Error("expected an error value");
}

beforeEach(() => clearFormulaCaches());

describe("=INVT.GLPOST, SKIPPED and TOTALS on a small ledger", () => {
  test("GLPOST per Entry: the G/L Entries columns, amounts as numbers, dates as serials (rules.md section 2)", async () => {
    const out = await F.glPost(ve(), ips(), gps(), "entry");
    expect(out[0]).toEqual(GL_ENTRY_COLUMNS.map((c) => c.name));
    // Purchase / Direct Cost: Inventory + and Direct Cost Applied -; Sale / Direct Cost: Inventory and COGS.
    expect(
      pick(
        out.slice(1),
        [
          "Entry No.",
          "Posting Date",
          "Document No.",
          "G/L Account No.",
          "Amount",
          "Debit Amount",
          "Credit Amount",
          "Inventory Account Type",
          "Bal. Account Type",
        ],
        out[0] as string[]
      )
    ).toEqual([
      [1, serial("2026-01-05"), "PI-1", "2130", 165, 165, 0, "Inventory", "Direct Cost Applied"],
      [2, serial("2026-01-05"), "PI-1", "7291", -165, 0, 165, "Direct Cost Applied", "Inventory"],
      [3, serial("2026-01-06"), "SI-1", "2130", -40, 0, 40, "Inventory", "COGS"],
      [4, serial("2026-01-06"), "SI-1", "7290", 40, 40, 0, "COGS", "Inventory"],
    ]);
    expect(out[1][col("System-Created Entry")]).toBe(true);
    expect(out.every((r) => r.every((v) => v !== null && v !== undefined))).toBe(true);
  });

  test("GLPOST per Posting Group: the run's Document No. on every line; method defaults from documentNo", async () => {
    const group = await F.glPost(ve(), ips(), gps(), "group", "INVT-1");
    expect(group.slice(1).map((r) => r[col("Document No.")])).toEqual([
      "INVT-1",
      "INVT-1",
      "INVT-1",
      "INVT-1",
    ]);
    expect(await F.glPost(ve(), ips(), gps(), null, "INVT-1")).toEqual(group);
    expect(await F.glPost(ve(), ips(), gps(), "Per Posting Group", "INVT-1")).toEqual(group);
    const entry = await F.glPost(ve(), ips(), gps());
    expect(entry.slice(1).map((r) => r[col("Document No.")])).toEqual([
      "PI-1",
      "PI-1",
      "SI-1",
      "SI-1",
    ]);
  });

  test("SKIPPED: the entry without setup, with Reason Code, Reason and How to Fix", async () => {
    const out = await F.skipped(ve(), ips(), gps(), "entry");
    expect(out[0]).toEqual(SKIPPED_COLUMNS.map((c) => c.name));
    expect(out).toHaveLength(2);
    const row = out[1];
    const h = out[0] as string[];
    expect(row[h.indexOf("Value Entry No.")]).toBe(3);
    expect(row[h.indexOf("Reason Code")]).toBe("INVENTORY_POSTING_SETUP_MISSING");
    expect(row[h.indexOf("Cost Amount")]).toBe(10);
    expect(row[h.indexOf("Posting Date")]).toBe(serial("2026-01-06"));
    expect(String(row[h.indexOf("Reason")])).toMatch(/RED/);
    expect(String(row[h.indexOf("How to Fix")])).not.toBe("");
  });

  test("SKIPPED with nothing to skip is its header row alone (never an empty spill)", async () => {
    const out = await F.skipped(ve().slice(0, 3), ips(), gps());
    expect(out).toEqual([SKIPPED_HEADER]);
  });

  test("TOTALS: debit, credit and net per G/L account, then a balanced Total row", async () => {
    const out = await F.totals(ve(), ips(), gps(), "entry");
    expect(out).toEqual([
      ["G/L Account No.", "G/L Account Name", "Debit Amount", "Credit Amount", "Net Change"],
      ["2130", "", 165, 40, 125],
      ["7290", "", 40, 0, 40],
      ["7291", "", 0, 165, -165],
      ["Total", "", 205, 205, 0],
    ]);
    // Per posting date: 2130 has a line on each day.
    const byDate = await F.totals(ve(), ips(), gps(), "group", "INVT-1", null, null, null, true);
    expect(byDate[0]).toEqual([
      "G/L Account No.",
      "G/L Account Name",
      "Posting Date",
      "Debit Amount",
      "Credit Amount",
      "Net Change",
    ]);
    expect(byDate.slice(1, 3)).toEqual([
      ["2130", "", serial("2026-01-05"), 165, 0, 165],
      ["2130", "", serial("2026-01-06"), 0, 40, -40],
    ]);
    expect(byDate[byDate.length - 1]).toEqual(["Total", "", "", 205, 205, 0]);
  });

  test("G/L account names come from the glAccounts argument; amounts keep their cents", async () => {
    const v = ve();
    v[1][10] = 165.05;
    const gl = [
      ["No.", "Name", "Account Type"],
      ["2130", "Inventory, Materials", "Posting"],
      ["7291", "Direct Cost Applied", "Posting"],
      ["7290", "COGS", "Posting"],
    ];
    const out = await F.totals(v, ips(), gps(), "entry", "", null, null, gl);
    expect(out[1]).toEqual(["2130", "Inventory, Materials", 165.05, 40, 125.05]);
  });
});

describe("=INVT.COSTTOPOST and =INVT.GLACCOUNT", () => {
  test("COSTTOPOST: per entry actual and expected still to post; one entry gives one number", async () => {
    const v = ve();
    v[1][11] = 100; // 100 of the 165 already posted
    expect(await F.costToPost(v)).toEqual([
      ["Entry No.", "Actual Cost to Post", "Expected Cost to Post"],
      [1, 65, 0],
      [2, -40, 0],
      [3, 10, 0],
    ]);
    expect(await F.costToPost([v[0], v[1]])).toEqual([[65]]);
  });

  test("COSTTOPOST: the expected part follows Expected Cost Posting to G/L in settings", async () => {
    const v = [
      [
        "Entry No.",
        "Posting Date",
        "Item Ledger Entry Type",
        "Entry Type",
        "Expected Cost",
        "Location Code",
        "Inventory Posting Group",
        "Gen. Bus. Posting Group",
        "Gen. Prod. Posting Group",
        "Cost Amount (Actual)",
        "Cost Amount (Expected)",
        "Cost Posted to G/L",
        "Expected Cost Posted to G/L",
      ],
      [
        1,
        serial("2026-01-05"),
        "Purchase",
        "Direct Cost",
        "Yes",
        "BLUE",
        "RAW MAT",
        "DOMESTIC",
        "RAW MAT",
        0,
        150,
        0,
        0,
      ],
      [
        2,
        serial("2026-01-08"),
        "Purchase",
        "Direct Cost",
        "No",
        "BLUE",
        "RAW MAT",
        "DOMESTIC",
        "RAW MAT",
        165,
        -150,
        0,
        0,
      ],
    ];
    const on = [
      ["Setting", "Value"],
      ["Expected Cost Posting to G/L", "Yes"],
    ];
    expect(await F.costToPost(v, on)).toEqual([COST_HEADER, [1, 0, 150], [2, 165, -150]]);
    // Off: the expected part never posts.
    expect(await F.costToPost(v)).toEqual([COST_HEADER, [1, 0, 0], [2, 165, 0]]);
  });

  test("GLACCOUNT: accounts of both pairs, the setup rows and the matrix row that chose them", async () => {
    const v = ve();
    const out = await F.glAccount([v[0], v[1]], ips(), gps());
    const h = out[0] as string[];
    expect(out).toHaveLength(3);
    const [exp, act] = [out[1], out[2]];
    const get = (r: unknown[], n: string) => r[h.indexOf(n)];
    expect(get(act, "Part")).toBe("Actual");
    expect(get(act, "Account Type")).toBe("Inventory");
    expect(get(act, "G/L Account No.")).toBe("2130");
    expect(get(act, "Setup Row")).toBe(
      "inventoryPostingSetup row 2 (BLUE,RAW MAT), Inventory Account"
    );
    expect(get(act, "Bal. Account Type")).toBe("Direct Cost Applied");
    expect(get(act, "Bal. G/L Account No.")).toBe("7291");
    expect(get(act, "Bal. Setup Row")).toBe(
      "generalPostingSetup row 2 (DOMESTIC,RAW MAT), Direct Cost Applied Account"
    );
    expect(get(act, "Matrix Row")).toBe("1: Purchase / Direct Cost");
    expect(get(act, "Amount to Post")).toBe(165);
    expect(get(act, "Status")).toBe("posts now");
    expect(get(act, "Reason")).toBe("");
    // The expected pair (Inventory (Interim) / Invt. Accrual (Interim)) has no accounts in this setup.
    expect(get(exp, "Part")).toBe("Expected");
    expect(get(exp, "Account Type")).toBe("Inventory (Interim)");
    expect(get(exp, "G/L Account No.")).toBe("");
    expect(get(exp, "Amount to Post")).toBe(0);
    expect(String(get(exp, "Reason"))).toMatch(/^ACCOUNT_MISSING: /);
  });

  test("GLACCOUNT: a skipped entry says why", async () => {
    const v = ve();
    const out = await F.glAccount([v[0], v[3]], ips(), gps());
    const h = out[0] as string[];
    const act = out[out.length - 1];
    expect(act[h.indexOf("Status")]).toBe("skipped");
    expect(String(act[h.indexOf("Reason")])).toMatch(/^INVENTORY_POSTING_SETUP_MISSING: /);
    expect(act[h.indexOf("Setup Row")]).toBe("inventoryPostingSetup: no row RED,RAW MAT");
  });

  test("GLACCOUNT with only a header row is #N/A", async () => {
    const e = await formulaError(F.glAccount([VE_HEADER], ips(), gps()));
    expect(e.code).toBe("#N/A");
    expect(e.message).toMatch(/^valueEntryRow: /);
  });
});
const COST_HEADER = ["Entry No.", "Actual Cost to Post", "Expected Cost to Post"];

describe("error values name the argument, the row and the column", () => {
  test("a text amount is #VALUE! at its row (the range's row, header = 1) and column", async () => {
    const v = ve();
    v[3][10] = "12a";
    const e = await formulaError(F.glPost(v, ips(), gps()));
    expect(e.code).toBe("#VALUE!");
    expect(e.message).toBe(
      'valueEntries, row 4, column "Cost Amount (Actual)": "12a" is not a number'
    );
  });

  test("a range without a required column is #REF! naming the column", async () => {
    const setup = ips().map((r) => r.slice(1));
    const e = await formulaError(F.glPost(ve(), setup, gps()));
    expect(e.code).toBe("#REF!");
    expect(e.message).toMatch(
      /^inventoryPostingSetup, column "Location Code": The required column "Location Code" is missing/
    );
  });

  test("a range with no header row is #REF!", async () => {
    const e = await formulaError(F.glPost(ve().slice(1), ips(), gps()));
    expect(e.code).toBe("#REF!");
    expect(e.message).toMatch(/^valueEntries: the range has no header row .*ValueEntries\[#All\]/);
    const blank = await formulaError(
      F.totals(
        ve(),
        [
          ["", ""],
          ["BLUE", "RAW MAT"],
        ],
        gps()
      )
    );
    expect(blank.message).toMatch(
      /^inventoryPostingSetup: the range has no header row \(its first row, blank,/
    );
  });

  test("an unknown method is #VALUE!; per Posting Group without a Document No. too", async () => {
    const e = await formulaError(F.skipped(ve(), ips(), gps(), "weekly"));
    expect(e.code).toBe("#VALUE!");
    expect(e.message).toBe(
      'method: "weekly" is not a posting method; use "entry" (per Entry) or "group" (per Posting Group).'
    );
    const d = await formulaError(F.glPost(ve(), ips(), gps(), "group"));
    expect(d.message).toBe(
      "documentNo: Please enter a Document No. when posting per Posting Group."
    );
    const b = await formulaError(
      F.totals(ve(), ips(), gps(), "entry", "", null, null, null, "yes" as unknown as boolean)
    );
    expect(b.message).toMatch(/^byPostingDate: /);
  });

  test("several input errors: the first, and how many more", async () => {
    const v = ve();
    v[1][1] = "soon";
    v[3][10] = "12a";
    const e = await formulaError(F.costToPost(v));
    expect(e.message).toMatch(
      /^valueEntries, row 2, column "Posting Date": .*\(and 1 more input error\)$/
    );
  });

  test("errors go through the injected factory (CustomFunctions.Error in Excel)", async () => {
    const made: [string, string][] = [];
    const factory: ErrorFactory = (code, message) => {
      made.push([code, message]);
      return new RangeError(`${code} ${message}`);
    };
    await expect(
      formulaFunctions(factory).glPost(ve(), ips(), gps(), "weekly")
    ).rejects.toBeInstanceOf(RangeError);
    expect(made).toEqual([
      [
        "#VALUE!",
        'method: "weekly" is not a posting method; use "entry" (per Entry) or "group" (per Posting Group).',
      ],
    ]);
  });

  test("the add-in's factory makes CustomFunctions.Error values when the runtime is there", async () => {
    class FakeCfError extends Error {
      constructor(
        readonly code: string,
        message: string
      ) {
        super(message);
      }
    }
    const g = globalThis as unknown as { CustomFunctions?: unknown };
    g.CustomFunctions = {
      Error: FakeCfError,
      ErrorCode: {
        invalidValue: "#VALUE!",
        invalidReference: "#REF!",
        notAvailable: "#N/A",
        invalidNumber: "#NUM!",
      },
    };
    try {
      const { glpost, accounts } = await import("../../src/excel/functions/functions");
      const e = await glpost(ve().slice(1), ips(), gps()).then(
        () => null,
        (x: unknown) => x
      );
      expect(e).toBeInstanceOf(FakeCfError);
      expect((e as FakeCfError).code).toBe("#REF!");
      expect((e as FakeCfError).message).toMatch(/^valueEntries: the range has no header row/);
      expect(() => accounts("Purchase", "Bogus")).toThrow(FakeCfError);
    } finally {
      delete g.CustomFunctions;
    }
    const { glpost } = await import("../../src/excel/functions/functions");
    await expect(glpost(ve().slice(1), ips(), gps())).rejects.toBeInstanceOf(FormulaError);
  });
});

describe("a preview, read once", () => {
  test("the argument ranges are not changed, and the port refuses writes", async () => {
    const v = ve();
    const before = JSON.stringify(v);
    await F.glPost(v, ips(), gps(), "group", "INVT-1");
    expect(JSON.stringify(v)).toBe(before);
    const port = new RangeWorkbook([
      tableFromRange({ arg: "x", table: "Value Entries", knownColumns: ["Entry No."] }, v),
    ]);
    await expect(port.write([], null)).rejects.toThrow(/never writes/);
  });

  test("GLPOST, SKIPPED and TOTALS of one recalculation read and post once; a changed cell reads again", async () => {
    formulaStats.reads = 0;
    formulaStats.runs = 0;
    // Excel hands each call its own copies of the ranges.
    await Promise.all([
      F.glPost(ve(), ips(), gps(), "group", "INVT-1"),
      F.skipped(ve(), ips(), gps(), "group", "INVT-1"),
      F.totals(ve(), ips(), gps(), "group", "INVT-1"),
    ]);
    expect(formulaStats).toEqual({ reads: 1, runs: 1 });
    await F.glPost(ve(), ips(), gps(), "entry");
    expect(formulaStats).toEqual({ reads: 1, runs: 2 });
    const v = ve();
    v[2][10] = -41;
    const out = await F.glPost(v, ips(), gps(), "entry");
    expect(formulaStats).toEqual({ reads: 2, runs: 3 });
    expect(out[3][col("Amount")]).toBe(-41);
  });
});

describe("functions.json generated from the JSDoc (custom-functions-metadata, as the webpack plugin runs it)", () => {
  let meta: {
    functions: {
      id: string;
      name: string;
      result: { dimensionality?: string };
      parameters: { name: string; optional?: boolean; dimensionality?: string; type?: string }[];
    }[];
  };
  beforeAll(async () => {
    const result = await generateCustomFunctionsMetadata(
      ["src/excel/functions/functions.ts"],
      true
    );
    expect(result.errors).toEqual([]);
    meta = JSON.parse(result.metadataJson);
  }, 60_000);
  const params = (id: string) =>
    meta.functions
      .find((f) => f.id === id)!
      .parameters.map((p) => [p.name, !!p.optional, p.dimensionality ?? "scalar"]);
  const RANGE = "matrix";
  const POSTING: [string, boolean, string][] = [
    ["valueEntries", false, RANGE],
    ["inventoryPostingSetup", false, RANGE],
    ["generalPostingSetup", false, RANGE],
    ["method", true, "scalar"],
    ["documentNo", true, "scalar"],
    ["settings", true, RANGE],
    ["items", true, RANGE],
    ["glAccounts", true, RANGE],
  ];

  test("ids and names, every result a matrix", () => {
    expect(meta.functions.map((f) => [f.id, f.name])).toEqual([
      ["ACCOUNTS", "ACCOUNTS"],
      ["GLPOST", "GLPOST"],
      ["SKIPPED", "SKIPPED"],
      ["TOTALS", "TOTALS"],
      ["GLACCOUNT", "GLACCOUNT"],
      ["COSTTOPOST", "COSTTOPOST"],
      ["RECONCILE", "RECONCILE"],
    ]);
    for (const f of meta.functions)
      expect([f.id, f.result.dimensionality]).toEqual([f.id, "matrix"]);
  });

  test("parameter lists with their optional flags and range dimensionality", () => {
    expect(params("GLPOST")).toEqual(POSTING);
    expect(params("SKIPPED")).toEqual(POSTING);
    expect(params("TOTALS")).toEqual([...POSTING, ["byPostingDate", true, "scalar"]]);
    expect(params("GLACCOUNT")).toEqual([
      ["valueEntryRow", false, RANGE],
      ["inventoryPostingSetup", false, RANGE],
      ["generalPostingSetup", false, RANGE],
      ["items", true, RANGE],
      ["settings", true, RANGE],
    ]);
    expect(params("COSTTOPOST")).toEqual([
      ["valueEntries", false, RANGE],
      ["settings", true, RANGE],
    ]);
    expect(
      meta.functions
        .find((f) => f.id === "TOTALS")!
        .parameters.find((p) => p.name === "byPostingDate")!.type
    ).toBe("boolean");
  });
});

// ---------------------------------------------------------------------------------------------
// The bundled sample: the Formulas sheet's functions against a CLI run of the same workbook

const SAMPLE = path.resolve(__dirname, "../../samples/bike-chain.xlsx");

/** A table as Excel passes `Table[#All]`: header row, then rows, an empty cell as "". */
async function excelRange(
  port: WorkbookPort,
  name: string,
  aliases: string[] = []
): Promise<unknown[][]> {
  const ref = findTable(await port.listTables(), name, aliases);
  if (ref === undefined) throw new Error(`no ${name}`);
  const t = await port.readTable(ref);
  return [
    t.header,
    ...t.rows.map((r) => t.header.map((_, i) => (r[i] === null || r[i] === undefined ? "" : r[i]))),
  ];
}

/** Cells compared as text: amounts to the cent, Yes/No and TRUE/FALSE alike, blank = "". */
function norm(v: CellValue | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "number") return (Math.round(v * 100) / 100).toFixed(2);
  const t = v.trim();
  const n = Number(t);
  return t !== "" && Number.isFinite(n) ? (Math.round(n * 100) / 100).toFixed(2) : t;
}

function rowsOf(t: SourceTable, columns: readonly string[]): string[][] {
  const idx = columns.map((c) => t.header.findIndex((h) => looseName(h) === looseName(c)));
  expect(idx.filter((i) => i < 0)).toEqual([]);
  return t.rows.map((r) => idx.map((i) => norm(r[i])));
}

describe("on samples/bike-chain.xlsx: the functions equal a CLI run", () => {
  let ranges: Record<string, unknown[][]>;
  beforeAll(async () => {
    const port = await openWorkbook(SAMPLE);
    ranges = {
      ve: await excelRange(port, "Value Entries"),
      ips: await excelRange(port, "Inventory Posting Setup"),
      gps: await excelRange(port, "General Posting Setup"),
      items: await excelRange(port, "Items"),
      gl: await excelRange(port, "G/L Accounts", ["GL Accounts"]),
      settings: await excelRange(port, "Settings"),
    };
  }, 60_000);

  for (const [method, documentNo, cliMethod] of [
    ["entry", "", "per Entry"],
    ["group", "INVT-2026-01", "per Posting Group"],
  ] as const) {
    test(`${cliMethod}: GLPOST row for row, SKIPPED and TOTALS equal the posted G/L entries`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invt-fn-"));
      const out = path.join(dir, "posted.xlsx");
      const cli = await postWorkbook(await openWorkbook(SAMPLE, out), {
        postingMethod: cliMethod,
        documentNo,
        post: true,
      });
      expect(cli).toMatchObject({ kind: "done" });
      const posted = await openWorkbook(out);
      const cliGl = await posted.readTable(
        findTable(await posted.listTables(), "G/L Entries", ["GL Entries", "GLEntries"])!
      );
      const cliSkipped = await posted.readTable(
        findTable(await posted.listTables(), "Skipped Entries", ["SkippedEntries"])!
      );
      fs.rmSync(dir, { recursive: true, force: true });

      const r = ranges;
      const gl = await F.glPost(r.ve, r.ips, r.gps, method, documentNo, r.settings, r.items, r.gl);
      expect(gl.length - 1).toBe(cliGl.rows.length);
      expect(gl.length - 1).toBeGreaterThan(10);
      const fnTable: SourceTable = {
        ref: { name: "fn", kind: "table" },
        header: gl[0] as string[],
        rows: gl.slice(1) as CellValue[][],
        rowNumbers: [],
      };
      // Dates: the function gives serials, the .xlsx reads date cells back as serials too.
      expect(rowsOf(fnTable, GL_ENTRY_HEADER)).toEqual(rowsOf(cliGl, GL_ENTRY_HEADER));

      const sk = await F.skipped(r.ve, r.ips, r.gps, method, documentNo, r.settings, r.items, r.gl);
      // An Excel table keeps one (blank) data row when it is emptied.
      const cliSkippedRows = cliSkipped.rows.filter((x) => x.some((c) => c !== null && c !== ""));
      expect(sk.length - 1).toBe(cliSkippedRows.length);

      const totals = await F.totals(
        r.ve,
        r.ips,
        r.gps,
        method,
        documentNo,
        r.settings,
        r.items,
        r.gl
      );
      const net = new Map<string, number>();
      const amountAt = cliGl.header.indexOf("Amount");
      const noAt = cliGl.header.indexOf("G/L Account No.");
      for (const row of cliGl.rows)
        net.set(
          String(row[noAt]),
          Math.round(((net.get(String(row[noAt])) ?? 0) + Number(row[amountAt])) * 100)
        );
      const last = totals[totals.length - 1];
      expect(last[0]).toBe("Total");
      expect(last[4]).toBe(0);
      for (const row of totals.slice(1, -1))
        expect([row[0], Math.round((row[4] as number) * 100)]).toEqual([
          row[0],
          Math.round(
            cliGl.rows
              .filter((x) => x[noAt] === row[0])
              .reduce((s, x) => s + Number(x[amountAt]) * 100, 0)
          ),
        ]);
      expect(totals.length - 2).toBe(new Set(cliGl.rows.map((x) => x[noAt])).size);
    }, 60_000);
  }

  test("COSTTOPOST: one row per entry (the first four checked by hand against the CSV); GLACCOUNT explains every entry", async () => {
    const r = ranges;
    const cost = await F.costToPost(r.ve, r.settings);
    expect(cost[0]).toEqual(COST_HEADER);
    expect(cost.length - 1).toBe(r.ve.length - 1);
    // Expected Cost Posting to G/L is on: receipt 150 expected; invoice 165 actual, -150 expected; overhead 3; variance -18.
    expect(cost.slice(1, 5)).toEqual([
      [1, 0, 150],
      [2, 165, -150],
      [3, 3, 0],
      [4, -18, 0],
    ]);
    const why = await F.glAccount(r.ve, r.ips, r.gps, r.items, r.settings);
    const h = why[0] as string[];
    const entries = new Set(why.slice(1).map((x) => x[0]));
    expect(entries.size).toBe(r.ve.length - 1);
    expect(why.slice(1).filter((x) => x[h.indexOf("Status")] === "skipped")).toEqual([]);
  }, 60_000);
});
