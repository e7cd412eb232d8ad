/**
 * The task pane's DOM: plain elements styled like Office (Fluent 2 tokens in taskpane.css), rendered
 * from the Controller's state. Inputs are created once; the dynamic parts (progress, result, settings
 * status, Automatic Cost Posting) are re-rendered on every change.
 */
import type { InputErrorInfo, RunOutcome, RunSummary } from "../../app/run";
import { SETTINGS, type SettingSpec } from "../../workbook/schema";
import type { Controller } from "../controller";
import { isInterruptedRunError } from "../../workbook/ledgerState";
import { isMissingTableError } from "../../workbook/inputErrors";

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === "class") el.className = String(v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

function link(text: string, onClick: () => void, testid?: string): HTMLButtonElement {
  const b = h("button", { type: "button", class: "link", "data-testid": testid }, text);
  b.addEventListener("click", onClick);
  return b;
}

const fmt = new Intl.NumberFormat("en-US");
const money = (text: string) => {
  const n = Number(text);
  return Number.isFinite(n)
    ? n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 9 })
    : text;
};

export function mountTaskpane(root: HTMLElement, c: Controller): () => void {
  root.textContent = "";
  root.classList.add("pane");

  // --- Options -------------------------------------------------------------------------------
  const method = h(
    "select",
    { id: "postingMethod", class: "input" },
    h("option", { value: "per Posting Group" }, "Per Posting Group"),
    h("option", { value: "per Entry" }, "Per Entry")
  );
  const docNo = h("input", {
    id: "documentNo",
    class: "input",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "e.g. INVT-2026-01",
  });
  const docHint = h("div", { class: "hint", id: "documentNoHint" });
  const dateFilter = h("input", {
    id: "dateFilter",
    class: "input",
    type: "text",
    autocomplete: "off",
    placeholder: "2026-01-01..2026-01-31",
  });
  const itemFilter = h("input", {
    id: "itemFilter",
    class: "input",
    type: "text",
    autocomplete: "off",
    placeholder: "LINK|CHAIN or A..M",
  });
  const postBtn = h("button", { id: "post", type: "button", class: "btn primary" }, "Post");
  const dryBtn = h("button", { id: "dryRun", type: "button", class: "btn" }, "Dry run");

  method.addEventListener("change", () =>
    c.setOptions({ postingMethod: method.value as "per Entry" | "per Posting Group" })
  );
  docNo.addEventListener("input", () => c.setOptions({ documentNo: docNo.value }));
  dateFilter.addEventListener("input", () => c.setOptions({ dateFilter: dateFilter.value }));
  itemFilter.addEventListener("input", () => c.setOptions({ itemFilter: itemFilter.value }));
  // After a run the keyboard user lands on its outcome (the summary heading or the error), not on the body.
  const runAndFocus = async (post: boolean) => {
    await c.run(post);
    result.querySelector<HTMLElement>("[data-focus-after-run]")?.focus();
  };
  postBtn.addEventListener("click", () => void runAndFocus(true));
  dryBtn.addEventListener("click", () => void runAndFocus(false));

  const field = (label: string, forId: string, input: HTMLElement, extra?: HTMLElement) => {
    // A hint under a field is its description for screen readers.
    if (extra?.id) input.setAttribute("aria-describedby", extra.id);
    return h("div", { class: "field" }, h("label", { for: forId }, label), input, extra);
  };

  const options = h(
    "section",
    { class: "card" },
    h("h2", {}, "Options"),
    field("Posting Method", "postingMethod", method),
    field("Document No.", "documentNo", docNo, docHint),
    h("h3", {}, "Filters"),
    field("Posting Date", "dateFilter", dateFilter),
    field("Item No.", "itemFilter", itemFilter),
    h("div", { class: "actions" }, postBtn, dryBtn)
  );

  // --- Reconciliation and trace (issue 11) -----------------------------------------------------
  const locationFilter = h("input", {
    id: "locationFilter",
    class: "input",
    type: "text",
    autocomplete: "off",
    placeholder: "BLUE|RED",
  });
  locationFilter.addEventListener("input", () => (c.locationFilter = locationFilter.value));
  const reconcileBtn = h("button", { id: "reconcile", type: "button", class: "btn" }, "Reconcile");
  reconcileBtn.addEventListener("click", () => void c.reconcile());
  const reconcileResult = h("div", { id: "reconcileResult", "aria-live": "polite" });
  const traceKind = h(
    "select",
    { id: "traceKind", class: "input" },
    h("option", { value: "gl" }, "G/L Entry No."),
    h("option", { value: "ve" }, "Value Entry No.")
  );
  const traceNo = h("input", {
    id: "traceNo",
    class: "input",
    type: "text",
    inputmode: "numeric",
    autocomplete: "off",
    placeholder: "e.g. 13",
  });
  const traceBtn = h("button", { id: "trace", type: "button", class: "btn" }, "Trace");
  traceBtn.addEventListener("click", () => {
    const n = Number(traceNo.value.trim());
    if (!Number.isInteger(n) || n <= 0) {
      c.traced = { result: null, message: `"${traceNo.value}" is not an entry number.` };
      renderTrace(traceResult, c);
      return;
    }
    void c.trace(traceKind.value === "gl" ? { glEntryNo: n } : { valueEntryNo: n });
  });
  const traceResult = h("div", { id: "traceResult", "aria-live": "polite" });
  const reconciliation = h(
    "details",
    { class: "card", id: "reconciliation" },
    h("summary", {}, h("h2", {}, "Reconcile and trace")),
    h(
      "p",
      { class: "hint" },
      "Inventory - G/L Reconciliation with the Posting Date and Item filters above: the matrix and an explanation of every difference, written to the workbook."
    ),
    field("Location Code", "locationFilter", locationFilter),
    h("div", { class: "actions" }, reconcileBtn),
    reconcileResult,
    h("h3", {}, "Trace"),
    field("From", "traceKind", traceKind),
    field("Entry No.", "traceNo", traceNo),
    h("div", { class: "actions" }, traceBtn),
    traceResult
  );

  const progress = h("section", {
    class: "progress",
    id: "progress",
    hidden: true,
    "aria-live": "polite",
  });
  const result = h("section", { class: "result", id: "result", "aria-live": "polite" });

  // --- Settings ------------------------------------------------------------------------------
  const settingInputs = new Map<SettingSpec["key"], HTMLInputElement | HTMLSelectElement>();
  const settingFields = SETTINGS.map((spec) => {
    const id = `setting-${spec.key}`;
    let input: HTMLInputElement | HTMLSelectElement;
    if (spec.kind === "boolean") {
      input = h(
        "select",
        { id, class: "input" },
        h("option", { value: "No" }, "No"),
        h("option", { value: "Yes" }, "Yes")
      );
    } else if (spec.kind === "date") {
      input = h("input", { id, class: "input", type: "date" });
    } else {
      input = h("input", {
        id,
        class: "input",
        type: "text",
        autocomplete: "off",
        spellcheck: "false",
      });
    }
    input.addEventListener("input", () => c.setSetting(spec.key, input.value));
    input.addEventListener("change", () => c.setSetting(spec.key, input.value));
    settingInputs.set(spec.key, input);
    return field(spec.name, id, input);
  });
  const saveSettingsBtn = h(
    "button",
    { id: "saveSettings", type: "button", class: "btn primary" },
    "Save to workbook"
  );
  const reloadSettingsBtn = h(
    "button",
    { id: "reloadSettings", type: "button", class: "btn" },
    "Reload"
  );
  saveSettingsBtn.addEventListener("click", () => void c.saveSettings());
  reloadSettingsBtn.addEventListener("click", () => void c.reloadSettings());
  const settingsStatus = h("div", { class: "hint", id: "settingsStatus" });
  const settings = h(
    "details",
    { class: "card", id: "settings" },
    h("summary", {}, h("h2", {}, "Workbook settings")),
    h(
      "p",
      { class: "hint" },
      "Stored in the workbook's Settings table, so everyone sharing it posts the same way."
    ),
    ...settingFields,
    h("div", { class: "actions" }, saveSettingsBtn, reloadSettingsBtn),
    settingsStatus
  );

  const auto = h("section", { class: "card auto", id: "autoPost", hidden: true });

  root.append(
    h(
      "header",
      { class: "title" },
      h("h1", {}, "Post Inventory Cost to G/L"),
      h(
        "p",
        {},
        "Posts the value entries of this workbook to G/L entries, as Business Central does. ",
        h(
          "a",
          {
            class: "help-link",
            href: "help.html",
            target: "_blank",
            rel: "noopener",
            "data-testid": "help-link",
          },
          "Help"
        )
      )
    ),
    options,
    progress,
    result,
    auto,
    reconciliation,
    settings
  );

  // --- Rendering -----------------------------------------------------------------------------
  const render = () => {
    const o = c.options;
    if (method.value !== o.postingMethod) method.value = o.postingMethod;
    if (document.activeElement !== docNo && docNo.value !== o.documentNo)
      docNo.value = o.documentNo;
    if (document.activeElement !== dateFilter && dateFilter.value !== o.dateFilter)
      dateFilter.value = o.dateFilter;
    if (document.activeElement !== itemFilter && itemFilter.value !== o.itemFilter)
      itemFilter.value = o.itemFilter;
    docNo.disabled = o.postingMethod === "per Entry";
    docHint.textContent =
      o.postingMethod === "per Entry"
        ? "Per Entry: each G/L entry takes its value entry's Document No."
        : c.suggestedDocumentNo
          ? `Next after the last register: ${c.suggestedDocumentNo}`
          : "Required when posting per Posting Group.";
    const running = c.state.phase === "running";
    postBtn.disabled = running;
    dryBtn.disabled = running;

    for (const spec of SETTINGS) {
      const input = settingInputs.get(spec.key)!;
      if (document.activeElement !== input && input.value !== c.settings[spec.key])
        input.value = c.settings[spec.key];
    }
    settingsStatus.textContent = c.settingsMessage;

    renderProgress(progress, c);
    renderResult(result, c);
    renderAuto(auto, c);
    reconcileBtn.disabled = running || c.reconciliation.busy;
    renderReconciliation(reconcileResult, c);
    renderTrace(traceResult, c);
  };
  const off = c.subscribe(render);
  render();
  return off;
}

function renderProgress(el: HTMLElement, c: Controller): void {
  const s = c.state;
  if (s.phase !== "running") {
    el.hidden = true;
    el.textContent = "";
    return;
  }
  el.hidden = false;
  const p = s.progress;
  const label =
    p.stage === "writing" && p.total > 0
      ? `Writing ${fmt.format(p.done)} of ${fmt.format(p.total)} rows`
      : p.stage === "computing"
        ? "Computing…"
        : p.stage === "reading"
          ? "Reading the workbook…"
          : p.message;
  const bar = h(
    "div",
    { class: "bar" + (p.total > 0 ? "" : " indeterminate") },
    h("div", { class: "fill" })
  );
  if (p.total > 0)
    (bar.firstChild as HTMLElement).style.width = `${Math.round((100 * p.done) / p.total)}%`;
  el.replaceChildren(
    h("div", { class: "progress-label", "data-testid": "progress-label" }, label),
    bar
  );
  if (p.message && p.message !== label) el.append(h("div", { class: "hint" }, p.message));
}

function renderResult(el: HTMLElement, c: Controller): void {
  const s = c.state;
  // The ribbon's Post asks here before it writes (Controller.askToPostFromRibbon).
  const q = c.confirmation;
  if (q !== null && s.phase !== "running") {
    const yes = h(
      "button",
      { id: "confirmPost", type: "button", class: "btn primary", "data-testid": "confirm-post" },
      "Post"
    );
    const no = h(
      "button",
      { id: "cancelPost", type: "button", class: "btn", "data-testid": "cancel-post" },
      "Cancel"
    );
    yes.disabled = q.entries === 0;
    yes.addEventListener("click", () => void c.confirmPost());
    no.addEventListener("click", () => c.cancelPost());
    el.replaceChildren(
      h(
        "div",
        { class: "message warning", role: "alertdialog", "data-testid": "confirmation" },
        h("strong", {}, "Post Cost to G/L? "),
        q.text,
        h("div", { class: "actions" }, yes, no)
      )
    );
    return;
  }
  if (s.phase === "idle" || s.phase === "running") {
    if (s.phase === "idle") {
      const n = c.repairNote;
      const u = c.undoNote;
      el.replaceChildren(
        ...(n === null
          ? []
          : [
              h(
                "div",
                {
                  class: `message ${n.ok ? "success" : "error"}`,
                  role: "status",
                  "data-testid": "repair-note",
                },
                n.text
              ),
            ]),
        ...(u === null
          ? []
          : [
              h(
                "div",
                {
                  class: `message ${u.ok ? "success" : "error"}`,
                  role: "status",
                  "data-testid": "undo-note",
                },
                u.text
              ),
            ])
      );
    }
    return;
  }
  if (s.phase === "failed") {
    el.replaceChildren(
      h(
        "div",
        {
          class: "message error",
          role: "alert",
          "data-testid": "run-error",
          tabindex: "-1",
          "data-focus-after-run": true,
        },
        h("strong", {}, "The run failed. "),
        s.message
      )
    );
    return;
  }
  el.replaceChildren(renderOutcome(s.outcome, s.post, c));
}

function renderOutcome(outcome: RunOutcome, post: boolean, c: Controller): HTMLElement {
  switch (outcome.kind) {
    case "usageError":
      return h(
        "div",
        {
          class: "message warning",
          role: "alert",
          "data-testid": "usage-error",
          tabindex: "-1",
          "data-focus-after-run": true,
        },
        outcome.message
      );
    case "concurrentChange":
      return h(
        "div",
        {
          class: "message warning",
          role: "alert",
          "data-testid": "concurrent-change",
          tabindex: "-1",
          "data-focus-after-run": true,
        },
        h("strong", {}, "Someone else changed the workbook. "),
        outcome.message,
        " Nothing was written: run again."
      );
    case "inputErrors":
      return renderInputErrors(outcome.errors, c);
    case "writeError":
    case "internalError":
      return h(
        "div",
        {
          class: "message error",
          role: "alert",
          "data-testid": "run-error",
          tabindex: "-1",
          "data-focus-after-run": true,
        },
        outcome.message
      );
    case "done":
      return renderSummary(outcome.summary, post, c);
  }
}

function renderInputErrors(errors: InputErrorInfo[], c: Controller): HTMLElement {
  const list = h("ul", { class: "errors" });
  for (const e of errors.slice(0, 200)) {
    const where = [e.table, e.row !== undefined ? `row ${e.row}` : "", e.column ?? ""]
      .filter(Boolean)
      .join(", ");
    const a = link(
      where,
      async () => {
        const address = await c.selectCell(e.table, e.row, e.column);
        a.title = address ?? "not found";
      },
      "error-link"
    );
    list.append(h("li", {}, a, h("div", {}, e.message)));
  }
  // An interrupted run: Repair completes or rolls it back (glpost repair).
  const repair = errors.some(isInterruptedRunError)
    ? h(
        "button",
        { id: "repair", type: "button", class: "btn primary", "data-testid": "repair" },
        "Repair"
      )
    : null;
  repair?.addEventListener("click", () => void c.repair());
  // Required tables missing: create them empty, with their columns, instead of links that lead nowhere.
  const create = errors.some(isMissingTableError)
    ? h(
        "button",
        {
          id: "create-tables",
          type: "button",
          class: "btn primary",
          "data-testid": "create-tables",
        },
        "Create the missing tables"
      )
    : null;
  create?.addEventListener("click", () => void c.createMissingTables());
  return h(
    "div",
    {
      class: "message error",
      role: "alert",
      "data-testid": "input-errors",
      tabindex: "-1",
      "data-focus-after-run": true,
    },
    h(
      "strong",
      {},
      `${fmt.format(errors.length)} input error${errors.length === 1 ? "" : "s"}: nothing was posted.`
    ),
    repair,
    create,
    h("p", {}, "Select an address to go to the cell, fix it, and run again."),
    list,
    errors.length > 200 ? h("p", {}, `…and ${fmt.format(errors.length - 200)} more.`) : null
  );
}

function renderSummary(s: RunSummary, post: boolean, c: Controller): HTMLElement {
  const dry = s.dryRun || !post;
  // Checked on the entries (trialBalance: debit = credit and every posting date nets to 0), not assumed.
  const balanced =
    s.trialBalance !== undefined ? s.trialBalance.balanced : s.totals.debit === s.totals.credit;
  const row = (label: string, value: string, testid: string) =>
    h("tr", {}, h("th", { scope: "row" }, label), h("td", { "data-testid": testid }, value));
  const counts = h(
    "table",
    { class: "counts", "aria-label": "Value entries" },
    h(
      "tbody",
      {},
      row(dry ? "Would post" : "Posted", fmt.format(s.entries.posted), "count-posted"),
      row("Already posted", fmt.format(s.entries.alreadyPosted), "count-already"),
      row("Ignored", fmt.format(s.entries.ignored), "count-ignored"),
      row("Skipped", fmt.format(s.entries.skipped), "count-skipped")
    )
  );
  const totals = h(
    "table",
    { class: "counts", "aria-label": "G/L entries and totals" },
    h(
      "tbody",
      {},
      row(
        "G/L entries",
        fmt.format(s.glEntries) +
          (s.fromEntryNo !== null ? ` (No. ${s.fromEntryNo}–${s.toEntryNo})` : ""),
        "gl-entries"
      ),
      row("Debit", money(s.totals.debit), "total-debit"),
      row("Credit", money(s.totals.credit), "total-credit"),
      row("G/L Register", s.registerNo === null ? "–" : String(s.registerNo), "register-no"),
      row(
        "Posting Method",
        s.postingMethod === "per Entry" ? "Per Entry" : "Per Posting Group",
        "method"
      ),
      s.documentNo ? row("Document No.", s.documentNo, "document-no") : null
    )
  );
  const links = h("div", { class: "links" });
  if (!dry && s.glEntries > 0)
    links.append(
      link(
        "Select the new G/L entries",
        () => void c.selectOutput("glEntries", s.glEntries),
        "select-gl"
      )
    );
  // Undo Last Run (ribbon, or here) takes the run back.
  if (!dry && s.registerNo !== null)
    links.append(
      link(`Undo Last Run (G/L Register ${s.registerNo})`, () => void c.undo(), "undo-run")
    );
  if (s.entries.skipped > 0 || dry)
    links.append(
      link(
        `Show Skipped Entries (${fmt.format(s.entries.skipped)})`,
        () => void c.selectOutput("skippedEntries"),
        "select-skipped"
      )
    );
  if (dry)
    links.append(
      link("Show the test report", () => void c.selectOutput("testReport"), "select-test")
    );
  const skipped = s.skipped.length
    ? h(
        "details",
        { class: "skipped", open: s.skipped.length <= 5 },
        h("summary", {}, `Skipped entries (${fmt.format(s.skipped.length)})`),
        h(
          "ul",
          { class: "skipped-list", "data-testid": "skipped-list" },
          ...s.skipped.slice(0, 50).map((k) => renderSkipped(k, c))
        ),
        s.skipped.length > 50
          ? h(
              "p",
              { class: "hint" },
              `…and ${fmt.format(s.skipped.length - 50)} more in Skipped Entries.`
            )
          : null
      )
    : null;
  return h(
    "div",
    { class: "summary card", "data-testid": "summary" },
    h(
      "h2",
      { tabindex: "-1", id: "summaryHeading", "data-focus-after-run": true },
      dry ? "Dry run: nothing was posted" : s.glEntries > 0 ? "Posted to G/L" : "Nothing to post"
    ),
    h(
      "div",
      { class: "badge " + (balanced ? "ok" : "bad"), "data-testid": "balance" },
      balanced
        ? s.trialBalance !== undefined
          ? "Balanced: debit = credit, every posting date nets to 0"
          : "Balanced: debit = credit"
        : "Not balanced"
    ),
    counts,
    totals,
    s.trialBalance !== undefined && s.trialBalance.accounts.length > 0
      ? renderTrialBalance(s.trialBalance, dry, c)
      : null,
    s.overriddenDimensionErrors > 0
      ? h(
          "p",
          { class: "hint" },
          `${fmt.format(s.overriddenDimensionErrors)} dimension rule(s) overridden, as Business Central does.`
        )
      : null,
    !dry && s.registerNo !== null
      ? h(
          "p",
          { class: "hint", "data-testid": "undo-hint" },
          `Undo Last Run on the ribbon takes this run back (G/L Register ${s.registerNo}).`
        )
      : null,
    links,
    skipped
  );
}

/** The trial balance of the run (issue 12): the proposed postings per G/L account and per posting date. */
function renderTrialBalance(
  tb: NonNullable<RunSummary["trialBalance"]>,
  dry: boolean,
  c: Controller
): HTMLElement {
  const num = (v: string) => h("td", { class: "num" }, money(v));
  const row = (
    name: string,
    r: { debit: string; credit: string; net: string },
    attrs: Record<string, string> = {}
  ) => h("tr", attrs, h("th", { scope: "row" }, name), num(r.debit), num(r.credit), num(r.net));
  // A table of rows named in its first column, with Debit, Credit and Net.
  const table = (testId: string, label: string, first: string, rows: HTMLElement[]) =>
    h(
      "table",
      { class: "trial-balance", "data-testid": testId, "aria-label": label },
      h(
        "thead",
        {},
        h("tr", {}, ...[first, "Debit", "Credit", "Net"].map((x) => h("th", { scope: "col" }, x)))
      ),
      h("tbody", {}, ...rows)
    );
  const accounts = table("trial-balance", "Trial balance per G/L account", "G/L Account", [
    ...tb.accounts.map((a) => row(a.name ? `${a.no} ${a.name}` : a.no, a)),
    row("Total", tb.totals, { class: "total" }),
  ]);
  const dates = table(
    "trial-balance-dates",
    "Trial balance per posting date",
    "Posting Date",
    tb.byDate.map((d) => row(d.date, d))
  );
  return h(
    "details",
    { class: "trial", open: tb.accounts.length <= 12 },
    h(
      "summary",
      {},
      `Trial balance (${fmt.format(tb.accounts.length)} accounts, ${fmt.format(tb.byDate.length)} posting dates)`
    ),
    accounts,
    dates,
    dry
      ? null
      : link("Show the Run Summary", () => void c.selectOutput("runSummary"), "select-run-summary")
  );
}

/** One skipped entry: its reason (the code only as a tooltip), How to Fix, and links to its row and the setup row. */
function renderSkipped(k: RunSummary["skipped"][number], c: Controller): HTMLElement {
  const entry = link(
    `Value entry ${k.entryNo}`,
    async () => {
      entry.title =
        (await c.selectRowWhere("Value Entries", ["Entry No."], [k.entryNo])) ?? "not found";
    },
    "skipped-entry-link"
  );
  const links = h("div", { class: "row-links" }, entry);
  const setup = k.setupRow;
  if (setup) {
    const name = `${setup.table} ${setup.values.map((v) => v || "''").join(" ")}`;
    const a = link(
      name,
      async () => {
        a.title = (await c.selectRowWhere(setup.table, setup.columns, setup.values)) ?? "not found";
      },
      "skipped-setup-link"
    );
    links.append(a);
  }
  return h(
    "li",
    { title: k.reasonCode },
    h("div", {}, h("strong", {}, `Entry ${k.entryNo}: `), k.reason),
    k.howToFix ? h("div", { class: "fix" }, h("strong", {}, "How to Fix: "), k.howToFix) : null,
    links
  );
}

function renderAuto(el: HTMLElement, c: Controller): void {
  const a = c.autoPost;
  if (!a.active && !a.message) {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  const items = a.reports.slice(0, 10).map((r) => {
    if (r.error) return h("li", { class: "bad" }, r.error);
    const head = `${r.posted} of ${r.entryNos.length} entr${r.entryNos.length === 1 ? "y" : "ies"} posted`;
    return h(
      "li",
      {},
      head,
      ...r.problems.map((p) => {
        const l = link(`row ${p.row}`, () => void c.selectCell("Value Entries", p.row));
        return h(
          "div",
          { class: "bad" },
          l,
          ` ${p.entryNo !== null ? `Entry ${p.entryNo}: ` : ""}${p.message}`
        );
      })
    );
  });
  el.replaceChildren(h("h2", {}, "Automatic Cost Posting"), h("p", { class: "hint" }, a.message));
  if (items.length) el.append(h("ul", { class: "auto-log" }, ...items));
}

function renderReconciliation(el: HTMLElement, c: Controller): void {
  const r = c.reconciliation;
  const s = r.summary;
  if (!r.message && s === null) {
    el.replaceChildren();
    return;
  }
  const out: Child[] = [
    h(
      "div",
      {
        class: `message ${s === null && !r.busy ? "error" : s !== null && s.explanations.length > 0 ? "warning" : "success"}`,
        role: "status",
        "data-testid": "reconcile-message",
      },
      r.message
    ),
  ];
  if (s !== null) {
    if (s.explanations.length > 0)
      out.push(
        h(
          "ul",
          { class: "errors", "data-testid": "reconcile-explanations" },
          ...s.explanations.map((x) =>
            h(
              "li",
              {},
              h("strong", {}, `${x.field}: ${money(x.amount)}`),
              h("div", {}, x.text),
              h(
                "div",
                { class: "hint" },
                `${fmt.format(x.valueEntries.length)} value entries, ${fmt.format(x.glEntries.length)} G/L entries: Reconciliation Detail, Cell "${x.label}"`
              )
            )
          )
        )
      );
    out.push(
      h(
        "div",
        { class: "links" },
        link(
          "Show the reconciliation",
          () => void c.selectOutput("reconciliation"),
          "select-reconciliation"
        ),
        link(
          "Show Reconciliation Detail",
          () => void c.selectOutput("reconciliationDetail"),
          "select-reconciliation-detail"
        )
      )
    );
  }
  el.replaceChildren(...out.filter((x): x is Node => x instanceof Node));
}

function renderTrace(el: HTMLElement, c: Controller): void {
  const t = c.traced;
  if (!t.message) {
    el.replaceChildren();
    return;
  }
  const out: Node[] = [
    h(
      "div",
      {
        class: `message ${t.result === null ? "error" : "success"}`,
        role: "status",
        "data-testid": "trace-message",
      },
      t.message
    ),
  ];
  if (t.result !== null) {
    const r = t.result;
    out.push(
      // From the ribbon's Trace the sheet rows are known: each entry selects its row.
      h(
        "ul",
        { "data-testid": "trace-gl" },
        ...r.glEntries.map((g) => {
          const row = t.rows?.gl.get(g.entryNo);
          return h(
            "li",
            {},
            row === undefined
              ? null
              : link(`row ${row}`, () => void c.selectCell("G/L Entries", row), "trace-gl-row"),
            ` G/L entry ${g.entryNo}: account ${g.glAccountNo}, ${g.documentNo}, value entries ${
              r.relations
                .filter((x) => x.glEntryNo === g.entryNo)
                .map((x) => x.valueEntryNo)
                .join(", ") || "(none)"
            }`
          );
        })
      ),
      h(
        "ul",
        { "data-testid": "trace-ve" },
        ...r.valueEntries.map((e) => {
          const row = t.rows?.value.get(e.entryNo);
          return h(
            "li",
            {},
            row === undefined
              ? null
              : link(`row ${row}`, () => void c.selectCell("Value Entries", row), "trace-ve-row"),
            ` Value entry ${e.entryNo}: ${e.itemNo || "(capacity)"} ${e.itemLedgerEntryType} ${e.entryType}, G/L entries ${
              r.relations
                .filter((x) => x.valueEntryNo === e.entryNo)
                .map((x) => x.glEntryNo)
                .join(", ") || "(none)"
            }`
          );
        })
      ),
      h(
        "div",
        { class: "links" },
        link("Show G/L Entries", () => void c.selectOutput("glEntries"), "trace-select-gl")
      )
    );
  }
  el.replaceChildren(...out);
}
