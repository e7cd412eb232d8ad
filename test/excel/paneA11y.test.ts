/**
 * The task pane at the keyboard and at 320 px, on the try page in headless Chromium (Debian's
 * /usr/bin/chromium via playwright-core), with the bundled bike-chain sample: Tab reaches Post, Enter posts,
 * focus lands on the summary heading; at 320 px the pane wraps (no horizontal scroll). A screenshot of each
 * goes to out/ (test artifacts, not committed). Reuses dist/try when it is newer than every source file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Server } from "http";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const ROOT = path.resolve(__dirname, "../..");
const SAMPLE = path.join(ROOT, "samples", "bike-chain.xlsx");
const OUT = path.join(ROOT, "out");

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

describe("the task pane at the keyboard and at 320 px (headless Chromium)", () => {
  let server: Server;
  let context: BrowserContext;
  let url: string;
  let userDataDir: string;
  const pageErrors: string[] = [];

  async function open(width: number): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(
      () =>
        document.querySelector("#status")?.textContent === "Ready" &&
        document.querySelector("#post") !== null
    );
    return page;
  }

  /** Presses Tab until the element with the id has focus; false after `max` presses. */
  async function tabTo(page: Page, id: string, max = 80): Promise<boolean> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate((want) => document.activeElement?.id === want, id)) return true;
    }
    return false;
  }

  beforeAll(async () => {
    await ensureTryPage();
    ({ server, url } = await serveTry({ port: 0, xlsx: SAMPLE, log: () => undefined }));
    fs.mkdirSync(OUT, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "invt-chromium-a11y-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    await context.route("**/*", (route) =>
      /^(http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:)/.test(route.request().url())
        ? route.continue()
        : route.abort()
    );
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((r) => server?.close(r));
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test("Tab reaches Open .xlsx and Post; Enter posts and focus lands on the summary heading", async () => {
    const page = await open(1280);
    // The try page's Open .xlsx is a real button: Tab reaches it and Space opens the file chooser.
    expect(await tabTo(page, "openFileButton")).toBe(true);
    const chooser = page.waitForEvent("filechooser", { timeout: 5000 });
    await page.keyboard.press("Space");
    expect((await chooser).isMultiple()).toBe(false);

    // The hint under Document No. describes the field.
    expect(await page.getAttribute("#documentNo", "aria-describedby")).toBe("documentNoHint");
    expect(await tabTo(page, "documentNo")).toBe(true);
    await page.keyboard.press("Control+A");
    await page.keyboard.type("INVT-2026-01");
    expect(await tabTo(page, "post")).toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="summary"]');
    await page.waitForFunction(() => document.activeElement?.id === "summaryHeading");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Posted to G/L");
    // The result tables have names.
    expect(
      await page.$$eval('[data-testid="summary"] table', (ts) =>
        ts.map((t) => t.getAttribute("aria-label") ?? t.querySelector("caption")?.textContent ?? "")
      )
    ).not.toContain("");
    await page.screenshot({ path: path.join(OUT, "pane-keyboard.png") });
    // The pane's Help link opens the help page shipped beside it (the README's user sections).
    const help = await page.evaluate(async () => {
      const href = (document.querySelector('[data-testid="help-link"]') as HTMLAnchorElement).href;
      const res = await fetch(href);
      return { status: res.status, text: await res.text() };
    });
    expect(help.status).toBe(200);
    expect(help.text).toContain(">What a run does</h2>");

    // A run refused for its options: focus lands on the message saying why.
    await page.fill("#documentNo", "");
    await page.focus("#post");
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      () => document.activeElement?.getAttribute("data-testid") === "usage-error"
    );
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Document No/);
    await page.close();
  }, 40_000);

  test("at 320 px the pane wraps without horizontal scroll, skipped entries one per line with How to Fix", async () => {
    const page = await open(320);
    // Expected Cost Posting to G/L off: the sample's entries 1, 5 and 10 are skipped (examples.test.ts).
    await page.evaluate(
      () => ((document.getElementById("settings") as HTMLDetailsElement).open = true)
    );
    await page.selectOption("#setting-expectedCostPostingToGL", "No");
    await page.click("#saveSettings");
    await page.waitForFunction(
      () => (document.getElementById("settingsStatus")?.textContent ?? "") !== ""
    );
    await page.fill("#documentNo", "INVT-2026-01");
    await page.click("#dryRun");
    await page.waitForSelector('[data-testid="summary"]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      320
    );
    const skipped = await page.$$eval('[data-testid="skipped-list"] li', (lis) =>
      lis.map((li) => li.textContent ?? "")
    );
    expect(skipped.map((t) => /^Entry (\d+):/.exec(t)?.[1])).toEqual(["1", "5", "10"]);
    for (const text of skipped)
      expect(text).toMatch(/How to Fix: Set Expected Cost Posting to G\/L to Yes in Settings/);
    // The reason is the text, not the code (the code is only the line's tooltip).
    expect(skipped.join("\n")).not.toMatch(/EXPECTED_COST_POSTING_OFF/);
    // Nothing in the pane sticks out of it.
    const widest = await page.evaluate(() =>
      Math.max(
        ...Array.from(document.querySelectorAll("#app *")).map(
          (e) => e.getBoundingClientRect().right
        )
      )
    );
    expect(widest).toBeLessThanOrEqual(320);
    await page.screenshot({ path: path.join(OUT, "pane-320.png"), fullPage: true });
    // The whole result (trial balance and skipped entries) in one tall shot: the README's docs/pane-skipped.png.
    await page.setViewportSize({ width: 320, height: 2600 });
    await page
      .locator('[data-testid="summary"]')
      .screenshot({ path: path.join(OUT, "pane-skipped.png") });
    await page.setViewportSize({ width: 320, height: 900 });
    // No Office theme on the try page: the pane follows the system's dark scheme (taskpane.css --bg2 #1f1f1f).
    await page.emulateMedia({ colorScheme: "dark" });
    expect(
      await page.evaluate(
        () => getComputedStyle(document.querySelector(".taskpane")!).backgroundColor
      )
    ).toBe("rgb(31, 31, 31)");
    await page.screenshot({ path: path.join(OUT, "pane-320-dark.png") });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 40_000);
});
