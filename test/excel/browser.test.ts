/**
 * The task pane in headless Chromium (Debian's /usr/bin/chromium via playwright-core): the try page runs
 * the real task pane, ribbon commands and ExcelWorkbookPort against the fake Excel holding
 * samples/bike-chain.xlsx. Post per Posting Group with a document no., check the summary, check that the
 * G/L entries equal what the CLI's path (the .xlsx adapter) gives, and that no request left localhost.
 * Saves a screenshot of the pane to out/taskpane.png (and to docs/taskpane.png, the README's, when
 * UPDATE_SCREENSHOT=1: `npm run screenshot`), so a test run leaves tracked files alone.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Server } from "http";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { openWorkbook } from "../../src/files/open";
import { postWorkbook, type RunSummary } from "../../src/app/run";
import type { CellValue, SourceTable } from "../../src/workbook/port";
import { findTable, looseName } from "../../src/workbook/names";

const ROOT = path.resolve(__dirname, "../..");
const SAMPLE = path.join(ROOT, "samples", "bike-chain.xlsx");
const CHROMIUM = "/usr/bin/chromium";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpack = require("webpack");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpackConfig = require("../../webpack.config.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serveTry } = require("../../scripts/serve-try.js");

async function buildTryPage(): Promise<void> {
  const config = await webpackConfig({ try: true }, { mode: "development" });
  await new Promise<void>((resolve, reject) =>
    webpack(
      config,
      (err: Error | null, stats: { hasErrors(): boolean; toString(o: unknown): string }) => {
        if (err) return reject(err);
        if (stats.hasErrors())
          return reject(new Error(stats.toString({ all: false, errors: true })));
        resolve();
      }
    )
  );
}

/** G/L entries as comparable rows: the columns both sides must agree on. */
const COLUMNS = [
  "Entry No.",
  "Posting Date",
  "Document No.",
  "G/L Account No.",
  "Description",
  "Amount",
  "Debit Amount",
  "Credit Amount",
  "Inventory Account Type",
  "Bal. Account Type",
  "Transaction No.",
  "G/L Register No.",
];

function comparable(t: SourceTable): string[][] {
  const idx = COLUMNS.map((c) => t.header.findIndex((h) => looseName(h) === looseName(c)));
  const norm = (v: CellValue | undefined): string => {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return String(Math.round(v * 100) / 100);
    const t = String(v).trim();
    const n = Number(t);
    return t !== "" && Number.isFinite(n) ? String(Math.round(n * 100) / 100) : t;
  };
  return t.rows.map((r) => idx.map((i) => (i < 0 ? "<missing>" : norm(r[i]))));
}

describe("task pane in headless Chromium (try page)", () => {
  let server: Server;
  let url: string;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const requests: string[] = [];
  const blocked: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM)).toBe(true);
    expect(fs.existsSync(SAMPLE)).toBe(true);
    await buildTryPage();
    ({ server, url } = await serveTry({ port: 0, xlsx: SAMPLE, log: () => undefined }));
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "invt-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      viewport: { width: 1280, height: 960 },
    });
    await context.route("**/*", (route) => {
      const u = route.request().url();
      requests.push(u);
      if (/^(http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:)/.test(u))
        return route.continue();
      blocked.push(u);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => pageErrors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => server?.close(r));
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test("posts the sample per Posting Group and shows the summary; G/L entries equal the CLI's", async () => {
    await page.goto(url);
    await page.waitForSelector("#documentNo");
    await page.waitForFunction(() => document.querySelector("#settingsStatus")?.textContent !== "");
    await page.selectOption("#postingMethod", "per Posting Group");
    await page.fill("#documentNo", "INVT-2026-01");
    await page.click("#post");
    await page.waitForSelector(
      "[data-testid=summary], [data-testid=input-errors], [data-testid=run-error], [data-testid=usage-error]",
      { timeout: 60_000 }
    );
    const text = (sel: string) => page.locator(`[data-testid=${sel}]`).innerText();
    expect(await page.locator("[data-testid=summary]").count()).toBe(1);
    expect(await text("count-posted")).toBe("14");
    expect(await text("count-skipped")).toBe("0");
    expect(await text("register-no")).toBe("1");
    const debit = await text("total-debit");
    const credit = await text("total-credit");
    expect(debit).toBe(credit);
    expect(Number(debit.replace(/,/g, ""))).toBeGreaterThan(0);
    expect(await text("balance")).toMatch(/Balanced/);
    // The trial balance (issue 12): one row per G/L account and a total equal to the summary's debit and credit.
    const tbRows = page.locator("[data-testid=trial-balance] tbody tr");
    expect(await tbRows.count()).toBeGreaterThan(2);
    expect((await tbRows.last().locator("th, td").allTextContents()).map((x) => x.trim())).toEqual([
      "Total",
      debit,
      credit,
      "0.00",
    ]);
    expect(
      await page.locator("[data-testid=trial-balance-dates] tbody tr").count()
    ).toBeGreaterThan(0);
    expect(await text("method")).toBe("Per Posting Group");
    expect(await text("document-no")).toBe("INVT-2026-01");

    // The G/L entries the pane wrote into the (fake) workbook, read back through the same adapter.
    const browserGl = (await page.evaluate(async () => {
      const w = window as unknown as {
        __invtTry: {
          controller(): {
            port: { listTables(): Promise<unknown[]>; readTable(r: unknown): Promise<unknown> };
          };
        };
      };
      const port = w.__invtTry.controller().port;
      const refs = (await port.listTables()) as { name: string; kind: string }[];
      const ref =
        refs.find(
          (r) =>
            r.kind === "table" && r.name.toLowerCase().replace(/[^a-z0-9]/g, "") === "glentries"
        ) ?? refs.find((r) => r.name.toLowerCase().replace(/[^a-z0-9]/g, "") === "glentries");
      return port.readTable(ref);
    })) as SourceTable;

    // The CLI's path: the .xlsx adapter and the same run.
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "invt-cli-")), "posted.xlsx");
    const cliPort = await openWorkbook(SAMPLE, out);
    const cli = await postWorkbook(cliPort, {
      postingMethod: "per Posting Group",
      documentNo: "INVT-2026-01",
      post: true,
    });
    expect(cli.kind).toBe("done");
    const posted = await openWorkbook(out);
    const glRef = findTable(await posted.listTables(), "G/L Entries", ["GL Entries", "GLEntries"]);
    expect(glRef).toBeDefined();
    const cliGl = await posted.readTable(glRef!);
    expect(comparable(browserGl)).toEqual(comparable(cliGl));
    expect(browserGl.rows.length).toBe((cli as { summary: RunSummary }).summary.glEntries);

    fs.mkdirSync(path.join(ROOT, "docs"), { recursive: true });
    const shot = path.join(
      ROOT,
      process.env.UPDATE_SCREENSHOT === "1" ? "docs" : "out",
      "taskpane.png"
    );
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.locator("#taskpane").screenshot({ path: shot });
    expect(fs.statSync(shot).size).toBeGreaterThan(10000);
  }, 120_000);

  test('the "Select the new G/L entries" link selects them in the workbook', async () => {
    await page.click("[data-testid=select-gl]");
    await page.waitForFunction(() => document.querySelector("#nameBox")?.textContent !== "");
    const sel = await page.evaluate(() => {
      const m = (
        window as unknown as {
          __invtTry: {
            model(): { selection: { sheet: { name: string }; box: { rowCount: number } } | null };
          };
        }
      ).__invtTry.model();
      return m.selection ? { sheet: m.selection.sheet.name, rows: m.selection.box.rowCount } : null;
    });
    expect(sel).not.toBeNull();
    expect(looseName(sel!.sheet)).toContain("glentries");
    expect(sel!.rows).toBe(
      Number(
        await page
          .locator("[data-testid=gl-entries]")
          .innerText()
          .then((t) => t.split(" ")[0])
      )
    );
  });

  test("a second post finds nothing to post; the ribbon's Test Report runs a dry run", async () => {
    await page.selectOption("#postingMethod", "per Posting Group");
    await page.fill("#documentNo", "INVT-2026-02");
    await page.click("#post");
    await page.waitForFunction(
      () => document.querySelector("[data-testid=count-already]")?.textContent === "14",
      undefined,
      { timeout: 60_000 }
    );
    expect(await page.locator("[data-testid=count-posted]").innerText()).toBe("0");
    await page.click("#ribbonTest");
    await page.waitForFunction(
      () => /Dry run/.test(document.querySelector("[data-testid=summary] h2")?.textContent ?? ""),
      undefined,
      { timeout: 60_000 }
    );
  }, 120_000);

  test("the posted workbook downloads as an .xlsx with the G/L entries", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "invt-dl-")),
      download.suggestedFilename()
    );
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe("bike-chain-posted.xlsx");
    const port = await openWorkbook(file);
    const gl = await port.readTable(
      findTable(await port.listTables(), "G/L Entries", ["GL Entries", "GLEntries"])!
    );
    expect(gl.rows.length).toBe(34);
    const regs = await port.readTable(
      findTable(await port.listTables(), "G/L Registers", ["GL Registers", "GLRegisters"])!
    );
    expect(regs.rows.length).toBe(1);
  }, 60_000);

  test("input errors are listed with addresses that select the cell", async () => {
    const row = await page.evaluate(() => {
      const w = window as unknown as {
        __invtTry: {
          model(): {
            userEdit(s: string, a: string, v: unknown[][]): void;
            tables: { name: string; sheet: { name: string }; box: { row: number; col: number } }[];
            sheet(n: string): { get(r: number, c: number): unknown };
          };
        };
      };
      const m = w.__invtTry.model();
      const t = m.tables.find(
        (x) => x.name.toLowerCase().replace(/[^a-z]/g, "") === "valueentries"
      )!;
      // The first data row's "Cost Amount (Actual)" cell gets text that is not a number.
      let col = t.box.col;
      const sheet = m.sheet(t.sheet.name);
      while (String(sheet.get(t.box.row, col)) !== "Cost Amount (Actual)") col++;
      const letters = String.fromCharCode(65 + col);
      m.userEdit(t.sheet.name, `${letters}${t.box.row + 2}`, [["12a"]]);
      return t.box.row + 2;
    });
    await page.click("#dryRun");
    await page.waitForSelector("[data-testid=input-errors]", { timeout: 60_000 });
    const link = page.locator("[data-testid=error-link]").first();
    expect(await link.innerText()).toBe(`Value Entries, row ${row}, Cost Amount (Actual)`);
    await link.click();
    await page.waitForFunction(
      (r) => (document.querySelector("#nameBox")?.textContent ?? "").endsWith(String(r)),
      row
    );
    const sel = await page.evaluate(() => {
      const m = (
        window as unknown as {
          __invtTry: {
            model(): {
              selection: { box: { row: number; rowCount: number; colCount: number } } | null;
            };
          };
        }
      ).__invtTry.model();
      return m.selection?.box;
    });
    expect(sel).toMatchObject({ row: row - 1, rowCount: 1, colCount: 1 });
  }, 60_000);

  test("nothing was requested from outside localhost, and the page raised no errors", () => {
    expect(requests.length).toBeGreaterThan(3);
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
