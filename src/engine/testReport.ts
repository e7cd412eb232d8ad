/**
 * rules.md section 7: Post Invt. Cost to G/L - Test. A check-only run: the lines that would post, each with
 * every warning that applies (not only the first), including the dimension rules posting would override.
 * It never changes posted columns.
 *
 * As BC 29 report 1003 builds it (through codeunit 5802 with CalledFromTestReport): an entry with no row in the
 * account matrix is one line "Value Entry <No.>" with no account, per Entry every posting line is a line, and per
 * Posting Group the lines are merged as the posting merges them (same grouping key and order), each merged line
 * with Value Entry No. 0 and the warnings of all its contributors. Unlike BC, which stops checking a line at its
 * first setup problem, every warning is listed.
 */
import { groupDescription, perEntryDescription } from "./descriptions";
import { createEnv, evaluateEntry, lineAmount, type Env, type Evaluation } from "./evaluate";
import {
  DimensionTuples,
  GroupTable,
  isNegative,
  lineKeyRanks,
  groupingKeyOrder,
} from "./groupingKey";
import { entryOrder, postWith } from "./post";
import { dimensionViolations } from "./setup";
import type {
  PostingInput,
  PostingResult,
  Problem,
  RunOptions,
  TestReportLine,
  ValueEntry,
} from "./types";

export interface TestReport {
  lines: TestReportLine[];
  /** Number of warnings over all lines (before Show Only Warnings filters lines). */
  warnings: number;
  /** Lines that would post without a warning. */
  linesWithoutWarnings: number;
}

const ENTRY_LEVEL = new Set<Problem["code"]>([
  "INVALID_COMBINATION",
  "EXPECTED_ON_WRONG_TYPE",
  "EXPECTED_COST_POSTING_OFF",
  "POSTING_DATE_NOT_ALLOWED",
]);

export function testReport(
  input: PostingInput,
  options: RunOptions,
  showOnlyWarnings = false
): TestReport {
  const env = createEnv(input, options);
  const report = testReportBuilder(options, env, showOnlyWarnings);
  for (const index of entryOrder(input.valueEntries)) {
    const e = input.valueEntries[index];
    report.add(e, evaluateEntry(e, env));
  }
  return report.finish();
}

/**
 * A dry run (Post = No): the posting result and the test report from one evaluation of each entry (the
 * report sees the evaluations the posting makes, in the same order).
 */
export function dryRun(
  input: PostingInput,
  options: RunOptions
): { result: PostingResult; report: TestReport } {
  const env = createEnv(input, options);
  const report = testReportBuilder(options, env, false);
  const result = postWith(input, options, env, (e, ev) => report.add(e, ev));
  return { result, report: report.finish() };
}

/** The test report built entry by entry, in Entry No. order, from each entry's evaluation. */
function testReportBuilder(
  options: RunOptions,
  env: Env,
  showOnlyWarnings: boolean
): { add(e: ValueEntry, ev: Evaluation): void; finish(): TestReport } {
  const perGroup = options.postingMethod === "per Posting Group";
  const lines: TestReportLine[] = [];
  let warnings = 0;
  let linesWithoutWarnings = 0;
  const push = (line: TestReportLine) => {
    warnings += line.warnings.length;
    if (line.warnings.length === 0) linesWithoutWarnings++;
    if (!showOnlyWarnings || line.warnings.length > 0) lines.push(line);
  };
  const groups = new GroupTable();
  // By group id, beside the table's columns: a merged line's warnings and its value entries.
  const groupWarnings: Set<string>[] = [];
  const groupEntryNos: number[][] = [];
  const dims = new DimensionTuples();
  const add = (e: ValueEntry, ev: Evaluation): void => {
    if (ev.outcome !== "posted" && ev.outcome !== "skipped") return;
    const entryWarnings = ev.problems.filter((p) => ENTRY_LEVEL.has(p.code)).map((p) => p.text);
    const documentNo = perGroup ? options.documentNo : e.documentNo;
    if (ev.lines.length === 0) {
      // BC's InsertTempInvtPostToGLTestBuf(ValueEntry): Description Text003 '%1 %2' = table caption, Entry No.
      push({
        postingDate: e.postingDate,
        documentNo,
        description: `Value Entry ${e.entryNo}`,
        glAccountNo: "",
        amount: ev.actLcy + ev.expLcy,
        additionalCurrencyAmount: ev.actAcy + ev.expAcy,
        valueEntryNo: e.entryNo,
        valueEntryNos: [e.entryNo],
        inventoryAccountType: null,
        setupKey: "",
        warnings: [...new Set(entryWarnings)],
      });
      return;
    }
    const dimId = perGroup ? dims.id(e) : 0;
    for (const line of ev.lines) {
      const [lcy, acy] = lineAmount(ev, line);
      const w = [...entryWarnings];
      if (line.account.problem !== null) w.push(line.account.problem.text);
      if (line.account.glAccountNo !== "")
        w.push(
          ...dimensionViolations(line.account.glAccountNo, e, env.setup).map(
            (t) => `${t} Posting overrides this rule.`
          )
        );
      if (perGroup) {
        if (lcy === 0 && acy === 0) continue; // as the posting: a zero line makes no G/L entry
        const negative = isNegative(lcy, acy);
        const g = groups.groupOf(e.postingDate, line.lineKeyId, negative, dimId);
        groups.lcy[g] += lcy;
        groups.acy[g] += acy;
        const warningsOf = (groupWarnings[g] ??= new Set());
        for (const x of w) warningsOf.add(x);
        if (groups.contribute(g, e.entryNo)) (groupEntryNos[g] ??= []).push(e.entryNo);
        continue;
      }
      push({
        postingDate: e.postingDate,
        documentNo,
        description: perEntryDescription(e),
        glAccountNo: line.account.glAccountNo,
        amount: lcy,
        additionalCurrencyAmount: acy,
        valueEntryNo: e.entryNo,
        valueEntryNos: [e.entryNo],
        inventoryAccountType: line.accountType,
        setupKey: line.account.setupKey,
        warnings: [...new Set(w)],
      });
    }
  };
  const finish = (): TestReport => {
    if (perGroup) {
      const lineKeys = env.lineKeys.keys;
      for (const g of groupingKeyOrder(lineKeys, lineKeyRanks(lineKeys), dims.tuples, groups)) {
        const k = lineKeys[groups.lineKeyId[g]];
        push({
          postingDate: groups.date[g],
          documentNo: options.documentNo,
          description: groupDescription(k),
          glAccountNo: k.account.glAccountNo,
          amount: groups.lcy[g],
          additionalCurrencyAmount: groups.acy[g],
          valueEntryNo: 0,
          valueEntryNos: groupEntryNos[g],
          inventoryAccountType: k.accountType,
          setupKey: k.account.setupKey,
          warnings: [...groupWarnings[g]],
        });
      }
    }
    return { lines, warnings, linesWithoutWarnings };
  };
  return { add, finish };
}
