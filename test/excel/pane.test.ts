/**
 * The task pane's logic without a browser: settings read from and saved to the Settings table, the
 * suggested Document No., a run with progress through the Controller, the ribbon commands in the
 * (stubbed) shared runtime, and the adapter's explicit-format path for hosts without Range.copyFrom.
 */
import { buildWorkbook, excelRunFor, tableValues } from "./fake";
import { installOfficeStub } from "./fake/officeStub";
import { ExcelWorkbookPort } from "../../src/excel/adapter";
import { accountingFormat } from "../../src/excel/cells";
import { incrementDocumentNo, defaultDocumentNo } from "../../src/excel/registers";
import { loadPaneSettings, saveSettings } from "../../src/excel/settings";
import { Controller } from "../../src/excel/controller";
import type { RunOutcome, RunRequest } from "../../src/app/run";
import { GL_ENTRIES, portFor } from "./helpers";

describe("Document No. suggestion", () => {
  test.each([
    ["INVT-2026-01", "INVT-2026-02"],
    ["INVT-2026-09", "INVT-2026-10"],
    ["X99", "X100"],
    ["A-001-B", "A-002-B"],
    ["NODIGITS", ""],
  ])("%s -> %s", (a, b) => expect(incrementDocumentNo(a)).toBe(b));

  test("follows the last register that has a Document No.", async () => {
    const model = buildWorkbook([
      {
        name: "GL Registers",
        table: "GLRegisters",
        rows: [
          ["No.", "Document No."],
          [1, "INVT-2026-01"],
          [3, null],
          [2, "INVT-2026-07"],
        ],
      },
    ]);
    expect(await defaultDocumentNo(portFor(model))).toBe("INVT-2026-08");
    expect(await defaultDocumentNo(portFor(buildWorkbook([{ name: "X", rows: [["a"]] }])))).toBe(
      ""
    );
  });
});

describe("Settings table", () => {
  test("reads the two-column table loosely and saves back, keeping unknown rows", async () => {
    const model = buildWorkbook([
      {
        name: "Settings",
        table: "Settings",
        rows: [
          ["Setting", "Value"],
          ["expected_cost_posting_to_gl", "Yes"],
          ["Allow Posting From", 46023],
          ["My own", "keep"],
          ["Amount Rounding Precision", "0.01"],
        ],
      },
    ]);
    const port = portFor(model);
    const loaded = await loadPaneSettings(port);
    expect(loaded.form).toBe("pairs");
    expect(loaded.values.expectedCostPostingToGL).toBe("Yes");
    expect(loaded.values.allowPostingFrom).toBe("2026-01-01");
    expect(loaded.values.automaticCostPosting).toBe("No");
    await saveSettings(port, loaded, {
      ...loaded.values,
      automaticCostPosting: "Yes",
      allowPostingTo: "2026-01-31",
      sourceCode: "0042",
    });
    const v = tableValues(model, "Settings");
    expect(v[0]).toEqual(["Setting", "Value"]);
    expect(v).toContainEqual(["My own", "keep"]);
    expect(v).toContainEqual(["expected_cost_posting_to_gl", "Yes"]);
    expect(v).toContainEqual(["Allow Posting From", "2026-01-01"]);
    expect(v).toContainEqual(["Automatic Cost Posting", "Yes"]);
    expect(v).toContainEqual(["Source Code", "0042"]);
    const again = await loadPaneSettings(port);
    expect(again.values.allowPostingTo).toBe("2026-01-31");
    expect(again.values.sourceCode).toBe("0042");
  });

  test("creates the Settings table when there is none", async () => {
    const model = buildWorkbook([{ name: "Value Entries", rows: [["Entry No."], [1]] }]);
    const port = portFor(model);
    const loaded = await loadPaneSettings(port);
    expect(loaded.form).toBe("none");
    await saveSettings(port, loaded, { ...loaded.values, expectedCostPostingToGL: "Yes" });
    expect(model.table("Settings")!.sheet.name).toBe("Settings");
    expect(tableValues(model, "Settings")).toContainEqual(["Expected Cost Posting to G/L", "Yes"]);
  });

  test("a one-record setup export is updated in place", async () => {
    const model = buildWorkbook([
      {
        name: "Inventory Setup",
        table: "Settings",
        rows: [
          ["Automatic Cost Posting", "Expected Cost Posting to G/L"],
          [false, true],
        ],
      },
    ]);
    const port = portFor(model);
    const loaded = await loadPaneSettings(port);
    expect(loaded.form).toBe("record");
    expect(loaded.values.expectedCostPostingToGL).toBe("Yes");
    await saveSettings(port, loaded, { ...loaded.values, automaticCostPosting: "Yes" });
    expect(tableValues(model, "Settings")[1].slice(0, 2)).toEqual(["Yes", "Yes"]);
  });
});

describe("Controller and ribbon commands", () => {
  const done = (req: RunRequest): RunOutcome => ({
    kind: "done",
    summary: {
      postingMethod: req.postingMethod,
      documentNo: req.documentNo,
      dryRun: !req.post,
      entries: { posted: 14, alreadyPosted: 0, ignored: 0, skipped: 0 },
      glEntries: 34,
      registerNo: 1,
      fromEntryNo: 1,
      toEntryNo: 34,
      totals: { debit: "1992.00", credit: "1992.00" },
      skipped: [],
      overriddenDimensionErrors: 0,
    },
  });

  test("a run passes the options, reports progress and ends with the outcome; the next suggestion follows", async () => {
    const model = buildWorkbook([
      {
        name: "GL Registers",
        table: "GLRegisters",
        rows: [
          ["No.", "Document No."],
          [1, "INVT-2026-01"],
        ],
      },
    ]);
    const run = excelRunFor(model);
    const requests: RunRequest[] = [];
    const stages: string[] = [];
    const c = new Controller({
      port: new ExcelWorkbookPort({ run, supports: () => true }),
      run,
      post: async (_port, req) => {
        requests.push(req);
        req.onProgress?.({ stage: "writing", done: 5, total: 10, message: "" });
        return done(req);
      },
    });
    c.subscribe(() =>
      stages.push(c.state.phase === "running" ? `${c.state.progress.stage}` : c.state.phase)
    );
    await c.init();
    expect(c.options.documentNo).toBe("INVT-2026-02");
    c.setOptions({ itemFilter: " LINK ", dateFilter: "" });
    const outcome = await c.run(true);
    expect(outcome?.kind).toBe("done");
    expect(requests[0]).toMatchObject({
      postingMethod: "per Posting Group",
      documentNo: "INVT-2026-02",
      post: true,
      itemFilter: "LINK",
      dateFilter: undefined,
    });
    expect(stages).toContain("writing");
    expect(stages[stages.length - 1]).toBe("finished");
    expect(c.options.documentNo).toBe("INVT-2026-03");
    c.setOptions({ postingMethod: "per Entry" });
    expect(c.options.documentNo).toBe("");
  });

  test("the ribbon commands run in the shared runtime with the saved options and show the pane", async () => {
    const model = buildWorkbook([
      {
        name: "GL Registers",
        table: "GLRegisters",
        rows: [
          ["No.", "Document No."],
          [4, "INVT-2026-04"],
        ],
      },
    ]);
    const stub = installOfficeStub(model);
    const requests: RunRequest[] = [];
    jest.resetModules();
    const { getController } = await import("../../src/excel/runtime");
    const commands = await import("../../src/excel/commands/commands");
    getController().setPostFn(async (_port, req) => {
      requests.push(req);
      return done(req);
    });
    stub.ready();
    await new Promise((r) => setTimeout(r, 0));
    expect([...stub.actions.keys()].sort()).toEqual([
      "postCostToGL",
      "reconcile",
      "testReport",
      "traceSelection",
      "undoLastRun",
    ]);
    await stub.invoke("testReport");
    expect(requests[0]).toMatchObject({
      post: false,
      postingMethod: "per Posting Group",
      documentNo: "INVT-2026-05",
    });
    expect(commands.lastCommandMessage).toMatch(/Test report written/);
    await stub.invoke("postCostToGL");
    // Post Cost to G/L asks first (issue 11): a preview that writes nothing, then the post once confirmed.
    expect(requests[1]).toMatchObject({ post: false, write: false, documentNo: "INVT-2026-05" });
    await getController().confirmPost();
    expect(requests[2]).toMatchObject({ post: true, documentNo: "INVT-2026-05" });
    expect(stub.paneShown).toBe(2);
  });
});

describe("ExcelWorkbookPort on hosts without Range.copyFrom (ExcelApi < 1.9)", () => {
  test("number formats are written explicitly, screen updating is not suspended", async () => {
    const model = buildWorkbook([
      {
        name: "GL",
        table: "GLEntries",
        rows: [
          ["Entry No.", "Amount", "G/L Account No."],
          [1, 5, "2130"],
        ],
      },
    ]);
    model.apiMinor = 8;
    const port = new ExcelWorkbookPort({
      run: excelRunFor(model),
      supports: (s, v) => model.supports(s, v),
    });
    await port.write(
      [
        {
          kind: "append",
          names: GL_ENTRIES,
          existing: { name: "GLEntries", kind: "table" },
          columns: [
            { name: "Entry No.", format: "integer" },
            { name: "Amount", format: "money" },
            { name: "G/L Account No.", format: "text" },
          ],
          rows: [
            [2, "-7.50", "7290"],
            [3, "7.50", "0100"],
          ],
        },
      ],
      null
    );
    expect(tableValues(model, "GLEntries").slice(2)).toEqual([
      [2, -7.5, "7290"],
      [3, 7.5, "0100"],
    ]);
    const s = model.sheet("GL")!;
    expect(s.format(3, 1)).toBe(accountingFormat(2));
    expect(s.format(3, 2)).toBe("@");
    expect(model.syncs.some((x) => x.screenUpdatingSuspended)).toBe(false);
  });
});
