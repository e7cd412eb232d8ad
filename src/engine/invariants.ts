/**
 * The run's invariants (rules.md section 6), asserted on every posting result before anything is written
 * (TigerBeetle's habit: the property tests prove them on generated input; this catches what they missed on
 * the user's). A broken invariant is a bug: InvariantError stops the run, and the front ends report an
 * internal error with nothing written.
 */
import type { GLEntry, PostingResult } from "./types";

export class InvariantError extends Error {
  constructor(message: string) {
    super(`internal invariant broken: ${message}`);
    this.name = "InvariantError";
  }
}

/**
 * The G/L entries sum to exactly 0 in LCY and in ACY for every posting date, and the run's debit and credit
 * totals are the sums of its positive and negative amounts (so "balanced" in the summary is checked, not assumed).
 */
export function assertPostingInvariants(result: Pick<PostingResult, "glEntries" | "totals">): void {
  const problem = postingBalanceProblem(result);
  if (problem !== null) throw new InvariantError(problem);
}

/** What assertPostingInvariants checks, as a result: null when balanced, else what is off (the trial balance's "Balanced"). */
export function postingBalanceProblem(result: {
  glEntries: readonly GLEntry[];
  totals: { debit: number; credit: number };
}): string | null {
  const byDate = new Map<number, [number, number]>();
  let debit = 0;
  let credit = 0;
  for (const g of result.glEntries) {
    let s = byDate.get(g.postingDate);
    if (s === undefined) byDate.set(g.postingDate, (s = [0, 0]));
    s[0] += g.amount;
    s[1] += g.additionalCurrencyAmount;
    if (g.amount > 0) debit += g.amount;
    else credit -= g.amount;
  }
  for (const [date, [lcy, acy]] of byDate)
    if (lcy !== 0 || acy !== 0)
      return `the G/L entries of posting date ${date} sum to ${lcy} (LCY) and ${acy} (ACY) minor units, not 0`;
  if (debit !== result.totals.debit || credit !== result.totals.credit)
    return `debit/credit totals ${result.totals.debit}/${result.totals.credit} differ from the G/L entries' ${debit}/${credit}`;
  return null;
}
