/**
 * The Formulas sheet on the try page in headless Chromium (Debian's /usr/bin/chromium via playwright-core):
 * the page evaluates the sample's INVT formulas with the add-in's own function exports and spills them into
 * the (fake) workbook. Their values equal the same functions run here in Node and a CLI run, they recalculate
 * when a table cell changes, and a bad cell gives an error value naming argument, row and column.
 * Reuses dist/try when it is newer than every source file (browser.test.ts builds the same bundle).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Server } from "http";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { formulaFunctions } from "../../src/excel/functions/formulas";
import { openWorkbook } from "../../src/files/open";
import { postWorkbook } from "../../src/app/run";
import { findTable } from "../../src/workbook/names";
import type { WorkbookPort } from "../../src/workbook/port";

const ROOT = path.resolve(__dirname, "../..");
const SAMPLE = path.join(ROOT, "samples", "bike-chain.xlsx");
const CHROMIUM = "/usr/bin/chromium";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpack = require("webpack");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpackConfig = require("../../webpack.config.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serveTry } = require("../../scripts/serve-try.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureTryPage(): Promise<void> {
  const bundle = path.join(ROOT, "dist", "try", "try.js");
  const sources = Math.max(
    newestSource(path.join(ROOT, "src")),
    fs.statSync(path.join(ROOT, "webpack.config.js")).mtimeMs
  );
  if (
    fs.existsSync(bundle) &&
    fs.existsSync(path.join(ROOT, "dist", "try", "index.html")) &&
    fs.statSync(bundle).mtimeMs > sources
  )
    return;
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

interface PageFormula {
  sheet: string;
  row: number;
  col: number;
  formula: string;
  rows: number;
  cols: number;
  error: { code: string; message: string } | null;
}

type TryWindow = {
  __invtTry: {
    formulas(): PageFormula[];
    settled(): Promise<void>;
    model(): {
      sheet(n: string): { get(r: number, c: number): unknown };
      userEdit(s: string, a: string, v: unknown[][]): void;
    };
  };
};

/** The formulas and their spilled blocks as the page holds them. */
async function pageBlocks(page: Page): Promise<{ f: PageFormula; values: unknown[][] }[]> {
  return page.evaluate(async () => {
    const t = (window as unknown as TryWindow).__invtTry;
    await t.settled();
    return t.formulas().map((f) => {
      const sheet = t.model().sheet(f.sheet);
      const values: unknown[][] = [];
      for (let r = 0; r < f.rows; r++) {
        const line: unknown[] = [];
        for (let c = 0; c < f.cols; c++) line.push(sheet.get(f.row + r, f.col + c) ?? "");
        values.push(line);
      }
      return { f, values };
    });
  });
}

async function excelRange(
  port: WorkbookPort,
  name: string,
  aliases: string[] = []
): Promise<unknown[][]> {
  const t = await port.readTable(findTable(await port.listTables(), name, aliases)!);
  return [t.header, ...t.rows.map((r) => t.header.map((_, i) => r[i] ?? ""))];
}

describe("the Formulas sheet on the try page (headless Chromium)", () => {
  let server: Server;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const blocked: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    expect(fs.existsSync(CHROMIUM)).toBe(true);
    await ensureTryPage();
    let url: string;
    ({ server, url } = await serveTry({ port: 0, xlsx: SAMPLE, log: () => undefined }));
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "invt-chromium-fx-"));
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
      viewport: { width: 1280, height: 900 },
    });
    await context.route("**/*", (route) => {
      const u = route.request().url();
      if (/^(http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:)/.test(u))
        return route.continue();
      blocked.push(u);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(
      () =>
        ((window as unknown as Partial<TryWindow>).__invtTry?.formulas().length ?? 0) > 0 &&
        document.querySelector("#status")?.textContent === "Ready"
    );
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => server?.close(r));
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test("the five formulas spill what the same functions give in Node; GLPOST equals a CLI run", async () => {
    const blocks = await pageBlocks(page);
    expect(blocks.map((b) => b.f.formula.replace(/\(.*/, ""))).toEqual([
      "INVT.TOTALS",
      "INVT.SKIPPED",
      "INVT.COSTTOPOST",
      "INVT.GLACCOUNT",
      "INVT.GLPOST",
    ]);
    expect(blocks.map((b) => b.f.error)).toEqual([null, null, null, null, null]);

    const port = await openWorkbook(SAMPLE);
    const ve = await excelRange(port, "Value Entries");
    const ips = await excelRange(port, "Inventory Posting Setup");
    const gps = await excelRange(port, "General Posting Setup");
    const settings = await excelRange(port, "Settings");
    const items = await excelRange(port, "Items");
    const gl = await excelRange(port, "G/L Accounts", ["GL Accounts"]);
    const F = formulaFunctions();
    const expected = [
      await F.totals(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
      await F.skipped(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
      await F.costToPost(ve, settings),
      await F.glAccount(ve.slice(0, 2), ips, gps, items, settings),
      await F.glPost(ve, ips, gps, "group", "INVT-2026-01", settings, items, gl),
    ];
    blocks.forEach((b, i) => expect(b.values).toEqual(expected[i]));

    // The trial balance balances: the Total row's debit equals its credit (1,992.00 on the bike chain).
    const total = blocks[0].values[blocks[0].values.length - 1];
    expect(total).toEqual(["Total", "", 1992, 1992, 0]);

    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "invt-fx-cli-")), "posted.xlsx");
    const cli = await postWorkbook(await openWorkbook(SAMPLE, out), {
      postingMethod: "per Posting Group",
      documentNo: "INVT-2026-01",
      post: true,
    });
    expect(cli.kind === "done" && cli.summary.glEntries).toBe(blocks[4].values.length - 1);
    const posted = await openWorkbook(out);
    const cliGl = await posted.readTable(
      findTable(await posted.listTables(), "G/L Entries", ["GL Entries"])!
    );
    const amount = (rows: unknown[][], header: unknown[]) =>
      rows.map((r) => [
        r[header.indexOf("G/L Account No.")],
        Math.round(Number(r[header.indexOf("Amount")]) * 100),
      ]);
    expect(amount(blocks[4].values.slice(1), blocks[4].values[0])).toEqual(
      amount(cliGl.rows, cliGl.header)
    );
  }, 60_000);

  test("the Formulas sheet shows the spilled cells in the grid", async () => {
    await page.click('.sheet-tab:has-text("Formulas")');
    await page.waitForSelector("td[data-formula]");
    expect(await page.locator("td[data-formula]").count()).toBe(5);
    expect(await page.locator("td.fx").first().getAttribute("title")).toMatch(
      /^=INVT\.TOTALS\(ValueEntries\[#All\]/
    );
    const totalRow = page.locator("tr", { has: page.locator("td", { hasText: /^Total$/ }) });
    expect(await totalRow.locator("td.num").allInnerTexts()).toEqual(["1,992.00", "1,992.00", "-"]);
    fs.mkdirSync(path.join(ROOT, "out"), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, "out", "formulas.png") });
  }, 30_000);

  test("a changed table cell recalculates the formulas; a text amount is #VALUE! naming argument, row and column", async () => {
    // Entry 14 (row 15 of Value Entries) revalues -10; at -20 both sides of the trial balance grow by 10.
    const at = await page.evaluate(() => {
      const m = (window as unknown as TryWindow).__invtTry.model();
      const sheet = m.sheet("Value Entries");
      let c = 0;
      while (sheet.get(0, c) !== "Cost Amount (Actual)") c++;
      if (sheet.get(14, 0) !== 14) throw new Error("row 15 is not entry 14");
      return String.fromCharCode(65 + c);
    });
    await page.evaluate(
      (addr) =>
        (window as unknown as TryWindow).__invtTry.model().userEdit("Value Entries", addr, [[-20]]),
      `${at}15`
    );
    let blocks = await pageBlocks(page);
    expect(blocks[0].values[blocks[0].values.length - 1]).toEqual(["Total", "", 2002, 2002, 0]);

    await page.evaluate(
      (addr) =>
        (window as unknown as TryWindow).__invtTry
          .model()
          .userEdit("Value Entries", addr, [["12a"]]),
      `${at}15`
    );
    blocks = await pageBlocks(page);
    const glpost = blocks[4];
    expect(glpost.f.error).toEqual({
      code: "#VALUE!",
      message: 'valueEntries, row 15, column "Cost Amount (Actual)": "12a" is not a number',
    });
    expect(glpost.values).toEqual([["#VALUE!"]]);
    // COSTTOPOST reads the same column: the same error.
    expect(blocks[2].f.error?.code).toBe("#VALUE!");
  }, 30_000);

  test("nothing was requested from outside localhost, and the page raised no errors", () => {
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
