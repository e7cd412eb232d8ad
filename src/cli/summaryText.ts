/** The run's results as readable terminal tables: the trial balance, the skipped entries, the test report. */
import type { RunSummary, TrialBalanceSummary } from "../app/run";
import { accountTypeCaption } from "../engine/accountTypes";
import { dayToIso } from "../engine/dates";
import { formatMoney, type MoneyScale } from "../engine/money";
import type { TestReportLine } from "../engine/types";
import { textTable } from "./reconcile";

/** "balanced" as checked on the entries (debit = credit, every posting date nets to 0), or what is off. */
export function balanceWords(tb: TrialBalanceSummary): string {
  return tb.balanced
    ? "balanced: debit = credit and every posting date nets to 0"
    : "NOT BALANCED: the debit and credit totals or a posting date do not net to 0 (a bug: please report it)";
}

export function trialBalanceText(tb: TrialBalanceSummary): string {
  if (tb.accounts.length === 0) return "";
  const accounts = textTable(
    ["G/L Account No.", "Name", "Debit", "Credit", "Net Change"],
    [
      ...tb.accounts.map((a) => [a.no, a.name, a.debit, a.credit, a.net]),
      ["Total", "", tb.totals.debit, tb.totals.credit, tb.totals.net],
    ],
    [false, false, true, true, true]
  );
  const dates = textTable(
    ["Posting Date", "Debit", "Credit", "Net Change"],
    tb.byDate.map((d) => [d.date, d.debit, d.credit, d.net]),
    [false, true, true, true]
  );
  return `Trial balance of the run (${balanceWords(tb)}):\n${accounts}\nBy posting date:\n${dates}`;
}

/** The skipped entries with their reason and How to Fix (the first `max`; the sheet has them all). */
export function skippedText(skipped: RunSummary["skipped"], max = 20): string {
  if (skipped.length === 0) return "";
  const shown = skipped.slice(0, max);
  const table = textTable(
    ["Entry No.", "Reason Code", "Reason", "How to Fix"],
    shown.map((k) => [String(k.entryNo), k.reasonCode, k.reason, k.howToFix ?? ""]),
    [true, false, false, false]
  );
  const more =
    skipped.length > max
      ? `... and ${skipped.length - max} more (glpost post --dry-run --json lists them all; a run with --out writes the Skipped Entries table)\n`
      : "";
  return `Skipped entries (${skipped.length}):\n${table}${more}`;
}

/** The test report as a table: one row per line, its warnings after it. */
export function testReportText(lines: readonly TestReportLine[], scale: MoneyScale): string {
  const rows = lines.map((l) => [
    dayToIso(l.postingDate),
    l.documentNo,
    l.description,
    l.glAccountNo,
    formatMoney(l.amount, scale),
    // A merged per Posting Group line (Value Entry No. 0, as in BC) names the entries it comes from.
    (l.valueEntryNo !== 0 ? [l.valueEntryNo] : (l.valueEntryNos ?? [])).join(", "),
    l.inventoryAccountType === null ? "" : accountTypeCaption(l.inventoryAccountType),
    l.setupKey,
    l.warnings.join(" "),
  ]);
  return textTable(
    [
      "Posting Date",
      "Document No.",
      "Description",
      "G/L Account No.",
      "Amount",
      "Value Entry No.",
      "Inventory Account Type",
      "Posting Setup",
      "Warning",
    ],
    rows,
    [false, false, false, false, true, true, false, false, false]
  );
}
