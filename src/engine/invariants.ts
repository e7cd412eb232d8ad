/**
 * The run's invariants (rules.md section 6), asserted on every posting result before anything is written
 * (TigerBeetle's habit: the property tests prove them on generated input; this catches what they missed on
 * the user's). A broken invariant is a bug: InvariantError stops the run, and the front ends report an
 * internal error with nothing written.
 */
import { GLEntryTable, type GLEntryList } from "./glEntryTable";
import { glEntryList, type PostingResult } from "./types";

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
export function assertPostingInvariants(
  result: Pick<PostingResult, "glEntries" | "glEntryTable" | "totals">
): void {
  const problem = postingBalanceProblem({ glEntries: glEntryList(result), totals: result.totals });
  if (problem !== null) throw new InvariantError(problem);
}

/** What assertPostingInvariants checks, as a result: null when balanced, else what is off (the trial balance's "Balanced"). */
export function postingBalanceProblem(result: {
  glEntries: GLEntryList;
  totals: { debit: number; credit: number };
}): string | null {
  const byDate = new Map<number, [number, number]>();
  let debit = 0;
  let credit = 0;
  const add = (date: number, amount: number, acy: number): void => {
    let s = byDate.get(date);
    if (s === undefined) byDate.set(date, (s = [0, 0]));
    s[0] += amount;
    s[1] += acy;
    if (amount > 0) debit += amount;
    else credit -= amount;
  };
  const gl = result.glEntries;
  if (gl instanceof GLEntryTable)
    for (let i = 0; i < gl.length; i++)
      add(gl.postingDate[i], gl.amount[i], gl.additionalCurrencyAmount[i]);
  else
    for (let i = 0; i < gl.length; i++) {
      const g = gl.at(i)!;
      add(g.postingDate, g.amount, g.additionalCurrencyAmount);
    }
  for (const [date, [lcy, acy]] of byDate)
    if (lcy !== 0 || acy !== 0)
      return `the G/L entries of posting date ${date} sum to ${lcy} (LCY) and ${acy} (ACY) minor units, not 0`;
  if (debit !== result.totals.debit || credit !== result.totals.credit)
    return `debit/credit totals ${result.totals.debit}/${result.totals.credit} differ from the G/L entries' ${debit}/${credit}`;
  return null;
}
