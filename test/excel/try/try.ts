/**
 * The try page: the add-in's real task pane, ribbon commands and ExcelWorkbookPort, running against the
 * fake Excel holding a workbook opened from an .xlsx (the bundled sample by default). Shows the workbook
 * as a simple grid, and offers the posted workbook for download. Loads nothing from the internet.
 */
import { stub } from "./install";
import ExcelJS from "exceljs";
import "../../../src/excel/taskpane/taskpane";
import "../../../src/excel/commands/commands";
import { columnLetters } from "../../../src/excel/address";
import { modelFromXlsx, xlsxFromModel } from "../fake/xlsx";
import type { WorkbookModel, SheetModel, Scalar } from "../fake/model";
import { getController } from "../../../src/excel/runtime";
import type { PostFn } from "../../../src/excel/controller";
import { serialToIso } from "../../../src/excel/cells";
import { formulaCellsOf, recalculate, type FormulaCell } from "./formulaCells";

const MAX_ROWS = 300;
const MAX_COLS = 40;

let fileName = "workbook.xlsx";
/** The workbook's INVT formula cells (the Formulas sheet of the sample), recalculated after every change. */
let formulas: FormulaCell[] = [];
let recalcTimer: ReturnType<typeof setTimeout> | null = null;
let recalcDone: Promise<void> = Promise.resolve();

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function display(v: Scalar | undefined, format: string): string {
  if (v === undefined) return "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number") {
    if (/y{2,4}|d{1,2}.*m|m.*d{1,2}/i.test(format) && !/#|0\.0/.test(format)) return serialToIso(v);
    const dec = /0\.(0+)/.exec(format);
    if (format.includes("#,##0")) {
      const s = Math.abs(v).toLocaleString("en-US", {
        minimumFractionDigits: dec ? dec[1].length : 0,
        maximumFractionDigits: dec ? dec[1].length : 0,
      });
      return v < 0 && format.includes("(")
        ? `(${s})`
        : v < 0
          ? `-${s}`
          : v === 0 && format.includes('"-"')
            ? "-"
            : s;
    }
    return String(v);
  }
  return v;
}

function renderGrid(model: WorkbookModel): void {
  const grid = document.getElementById("grid")!;
  const tabs = document.getElementById("sheetTabs")!;
  const sheet: SheetModel | null = model.activeSheet ?? model.sheets[0] ?? null;
  tabs.replaceChildren(
    ...model.sheets.map((s) => {
      const b = el("button", "sheet-tab" + (s === sheet ? " active" : ""), s.name);
      b.addEventListener("click", () => {
        model.activeSheet = s;
        model.selection = null;
        renderGrid(model);
      });
      return b;
    })
  );
  if (!sheet) {
    grid.replaceChildren();
    return;
  }
  const used = sheet.usedBox(false);
  const rows = used ? Math.min(used.row + used.rowCount, MAX_ROWS) : 20;
  const cols = used ? Math.min(Math.max(used.col + used.colCount, 6), MAX_COLS) : 10;
  const sel = model.selection && model.selection.sheet === sheet ? model.selection.box : null;
  const tables = model.tables.filter((t) => t.sheet === sheet);
  const table = el("table", "cells");
  const head = el("tr");
  head.append(el("th", "corner"));
  for (let c = 0; c < cols; c++) head.append(el("th", "col", columnLetters(c)));
  table.append(head);
  let firstSelected: HTMLElement | null = null;
  for (let r = 0; r < rows; r++) {
    const tr = el("tr");
    tr.append(el("th", "row", String(r + 1)));
    for (let c = 0; c < cols; c++) {
      const v = sheet.get(r, c);
      const td = el("td", typeof v === "number" ? "num" : "", display(v, sheet.format(r, c)));
      const t = tables.find(
        (x) =>
          r >= x.box.row &&
          r < x.box.row + x.box.rowCount &&
          c >= x.box.col &&
          c < x.box.col + x.box.colCount
      );
      if (t) td.classList.add(r === t.box.row ? "thead" : (r - t.box.row) % 2 ? "tband" : "tbody");
      const f = formulas.find((x) => x.sheet === sheet.name && x.row === r && x.col === c);
      if (f) {
        td.classList.add("fx");
        td.title = `=${f.formula}${f.error ? `\n${f.error.code} ${f.error.message}` : ""}`;
        td.dataset.formula = f.formula;
      } else if (
        formulas.some(
          (x) =>
            x.sheet === sheet.name &&
            r >= x.row &&
            r < x.row + x.rows &&
            c >= x.col &&
            c < x.col + x.cols
        )
      )
        td.classList.add("spill");
      if (
        sel &&
        r >= sel.row &&
        r < sel.row + sel.rowCount &&
        c >= sel.col &&
        c < sel.col + sel.colCount
      ) {
        td.classList.add("selected");
        firstSelected ??= td;
      }
      td.dataset.addr = `${columnLetters(c)}${r + 1}`;
      tr.append(td);
    }
    table.append(tr);
  }
  grid.replaceChildren(table);
  if (used && used.row + used.rowCount > MAX_ROWS)
    grid.append(
      el("p", "more", `Showing the first ${MAX_ROWS} of ${used.row + used.rowCount} rows.`)
    );
  firstSelected?.scrollIntoView({ block: "nearest", inline: "nearest" });
  const addr = document.getElementById("nameBox");
  if (addr) addr.textContent = sel ? `${columnLetters(sel.col)}${sel.row + 1}` : "";
}

function layout(): void {
  const root = document.getElementById("try")!;
  root.innerHTML = `
    <div class="excel">
      <div class="appbar">
        <span class="app">Excel</span><span class="file" id="fileName"></span>
        <span class="spacer"></span>
        <button class="tbtn" id="openFileButton" type="button">Open .xlsx…</button>
        <input type="file" id="openFile" accept=".xlsx" hidden aria-label="Open .xlsx">
        <button class="tbtn primary" id="download" type="button">Download posted workbook</button>
        <a id="downloadLink" hidden></a>
      </div>
      <div class="ribbon">
        <div class="tabs"><span>Home</span><span>Insert</span><span>Data</span><span class="active">Inventory Costing</span></div>
        <div class="group">
          <button class="rbtn" id="ribbonPost" type="button"><img src="assets/post-32.png" alt=""><span>Post Cost to G/L</span></button>
          <button class="rbtn" id="ribbonTest" type="button"><img src="assets/test-32.png" alt=""><span>Test Report</span></button>
          <button class="rbtn" id="ribbonPane" type="button"><img src="assets/pane-32.png" alt=""><span>Show Task Pane</span></button>
          <div class="glabel">Post Inventory Cost</div>
        </div>
      </div>
      <div class="formula"><span id="nameBox" class="namebox"></span><span class="status" id="status"></span></div>
      <div class="grid" id="grid"></div>
      <div class="sheets" id="sheetTabs"></div>
    </div>
    <aside class="taskpane" id="taskpane">
      <div class="tp-title"><span>Inventory Cost to G/L</span><button type="button" id="closePane" title="Close">✕</button></div>
      <main id="app"></main>
    </aside>`;
}

function status(text: string): void {
  const s = document.getElementById("status");
  if (s) s.textContent = text;
}

/** Recalculates the INVT formulas a moment after the last change (the pane's writes come in several syncs). */
function scheduleRecalc(model: WorkbookModel): void {
  if (formulas.length === 0) return;
  if (recalcTimer !== null) clearTimeout(recalcTimer);
  recalcTimer = setTimeout(() => {
    recalcTimer = null;
    recalcDone = recalcDone.then(() => recalculate(model, formulas)).then(() => renderGrid(model));
  }, 30);
}

async function load(data: ArrayBuffer, name: string): Promise<WorkbookModel> {
  const model = await modelFromXlsx(ExcelJS, data);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data);
  formulas = formulaCellsOf(wb);
  model.onAfterSync = () => {
    renderGrid(model);
    scheduleRecalc(model);
  };
  stub.setModel(model);
  // The cells hold what the file cached; the functions compute them now.
  await recalculate(model, formulas);
  fileName = name;
  document.getElementById("fileName")!.textContent = name;
  renderGrid(model);
  return model;
}

async function main(): Promise<void> {
  layout();
  const grid = document.getElementById("grid")!;
  grid.addEventListener("dblclick", (e) => {
    const td = (e.target as HTMLElement).closest("td");
    const model = stub.model();
    const sheet = model.activeSheet;
    if (!td || !td.dataset.addr || !sheet) return;
    const text = window.prompt(`New value for ${td.dataset.addr}`, td.textContent ?? "");
    if (text === null) return;
    const n = Number(text);
    model.userEdit(sheet.name, td.dataset.addr, [
      [text.trim() !== "" && Number.isFinite(n) ? n : text],
    ]);
  });
  // A real button (Tab reaches it, Enter/Space press it) opens the hidden file input's dialog.
  document
    .getElementById("openFileButton")!
    .addEventListener("click", () =>
      (document.getElementById("openFile") as HTMLInputElement).click()
    );
  document.getElementById("openFile")!.addEventListener("change", async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    await load(await f.arrayBuffer(), f.name);
    await getController().init();
    status(`Opened ${f.name}`);
  });
  document.getElementById("download")!.addEventListener("click", async () => {
    const buf = await xlsxFromModel(ExcelJS, stub.model());
    const a = document.getElementById("downloadLink") as HTMLAnchorElement;
    a.href = URL.createObjectURL(
      new Blob([buf], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" })
    );
    a.download = fileName.replace(/\.xlsx$/i, "") + "-posted.xlsx";
    a.click();
  });
  const pane = document.getElementById("taskpane")!;
  document.getElementById("closePane")!.addEventListener("click", () => (pane.hidden = true));
  document.getElementById("ribbonPane")!.addEventListener("click", () => (pane.hidden = false));
  document.getElementById("ribbonPost")!.addEventListener("click", () => {
    pane.hidden = false;
    void stub.invoke("postCostToGL");
  });
  document.getElementById("ribbonTest")!.addEventListener("click", () => {
    pane.hidden = false;
    void stub.invoke("testReport");
  });

  const params = new URLSearchParams(location.search);
  const src = params.get("xlsx") ?? "workbook.xlsx";
  try {
    const res = await fetch(src);
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    const name = res.headers.get("x-file-name") ?? src.split("/").pop() ?? "workbook.xlsx";
    await load(await res.arrayBuffer(), name);
    status("Ready");
  } catch (e) {
    status(
      `Could not open ${src}: ${e instanceof Error ? e.message : String(e)}. Open an .xlsx instead.`
    );
  }
  stub.ready();
}

/** For tests and the curious: the workbook, the controller, and a way to swap the run function. */
(window as unknown as Record<string, unknown>).__invtTry = {
  model: () => stub.model(),
  controller: () => getController(),
  setPostFn: (fn: PostFn) => getController().setPostFn(fn),
  invoke: (id: string) => stub.invoke(id),
  sheetValues: (name: string) => stub.model().sheetValues(name),
  /** The INVT formula cells with their spill size and error; recalc() evaluates them now. */
  formulas: () => formulas.map((f) => ({ ...f })),
  recalc: async () => {
    await recalcDone;
    await recalculate(stub.model(), formulas);
    renderGrid(stub.model());
  },
  /** Resolves once no recalculation is pending. */
  settled: async () => {
    while (recalcTimer !== null) await new Promise((r) => setTimeout(r, 20));
    await recalcDone;
  },
};

void main();
