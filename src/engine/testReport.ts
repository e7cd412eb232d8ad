/**
 * rules.md section 7: Post Invt. Cost to G/L - Test. A check-only run: the lines that would post, each with
 * every warning that applies (not only the first), including the dimension rules posting would override.
 * It never changes posted columns.
 */
import { groupDescription, perEntryDescription } from './descriptions';
import { createEnv, evaluateEntry, lineAmount } from './evaluate';
import { entryOrder } from './post';
import { dimensionViolations } from './setup';
import type { PostingInput, Problem, RunOptions, TestReportLine } from './types';

export interface TestReport {
  lines: TestReportLine[];
  /** Number of warnings over all lines (before Show Only Warnings filters lines). */
  warnings: number;
  /** Lines that would post without a warning. */
  linesWithoutWarnings: number;
}

const ENTRY_LEVEL = new Set<Problem['code']>(['INVALID_COMBINATION', 'EXPECTED_ON_WRONG_TYPE', 'EXPECTED_COST_POSTING_OFF', 'POSTING_DATE_NOT_ALLOWED']);

export function testReport(input: PostingInput, options: RunOptions, showOnlyWarnings = false): TestReport {
  const env = createEnv(input, options);
  const perGroup = options.postingMethod === 'per Posting Group';
  const lines: TestReportLine[] = [];
  let warnings = 0;
  let linesWithoutWarnings = 0;
  const push = (line: TestReportLine) => {
    warnings += line.warnings.length;
    if (line.warnings.length === 0) linesWithoutWarnings++;
    if (!showOnlyWarnings || line.warnings.length > 0) lines.push(line);
  };
  for (const index of entryOrder(input.valueEntries)) {
    const e = input.valueEntries[index];
    const ev = evaluateEntry(e, env);
    if (ev.outcome !== 'posted' && ev.outcome !== 'skipped') continue;
    const entryWarnings = ev.problems.filter((p) => ENTRY_LEVEL.has(p.code)).map((p) => p.text);
    const documentNo = perGroup ? options.documentNo : e.documentNo;
    if (ev.lines.length === 0) {
      push({
        postingDate: e.postingDate,
        documentNo,
        description: perEntryDescription(e),
        glAccountNo: '',
        amount: ev.actLcy + ev.expLcy,
        additionalCurrencyAmount: ev.actAcy + ev.expAcy,
        valueEntryNo: e.entryNo,
        inventoryAccountType: null,
        setupKey: '',
        warnings: [...new Set(entryWarnings)],
      });
      continue;
    }
    for (const line of ev.lines) {
      const [lcy, acy] = lineAmount(ev, line);
      const w = [...entryWarnings];
      if (line.account.problem !== null) w.push(line.account.problem.text);
      if (line.account.glAccountNo !== '') w.push(...dimensionViolations(line.account.glAccountNo, e, env.setup).map((t) => `${t} Posting overrides this rule.`));
      push({
        postingDate: e.postingDate,
        documentNo,
        description: perGroup ? groupDescription(line) : perEntryDescription(e),
        glAccountNo: line.account.glAccountNo,
        amount: lcy,
        additionalCurrencyAmount: acy,
        valueEntryNo: e.entryNo,
        inventoryAccountType: line.accountType,
        setupKey: line.account.setupKey,
        warnings: [...new Set(w)],
      });
    }
  }
  return { lines, warnings, linesWithoutWarnings };
}
