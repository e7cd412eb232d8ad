/**
 * The trial balance of a run (issue 12): the proposed G/L entries summed per G/L account and per posting
 * date, so a controller can check the run before and after posting. "Balanced" is checked here, on the
 * entries themselves (invariants.ts), not assumed.
 */
import { postingBalanceProblem } from "./invariants";
import type { DayNumber, GLEntry, Money } from "./types";

export interface TrialBalanceAccount {
  no: string;
  name: string;
  debit: Money;
  credit: Money;
  net: Money;
}

export interface TrialBalanceDate {
  date: DayNumber;
  debit: Money;
  credit: Money;
  net: Money;
}

export interface TrialBalance {
  /** Sorted by G/L Account No. (ordinal, as the codes are written). */
  accounts: TrialBalanceAccount[];
  /** Sorted by posting date. */
  byDate: TrialBalanceDate[];
  totals: { debit: Money; credit: Money; net: Money };
  /** Debit total = credit total and every posting date nets to 0 (LCY and ACY). */
  balanced: boolean;
  /** Why not, when not balanced (a bug in the engine: the run asserts it before writing). */
  problem: string | null;
}

/** Debit is the sum of the positive amounts, credit of the negative ones (as G/L Entries' Debit/Credit Amount columns). */
export function trialBalance(glEntries: readonly GLEntry[]): TrialBalance {
  const accounts = new Map<string, TrialBalanceAccount>();
  const dates = new Map<DayNumber, TrialBalanceDate>();
  let debit = 0;
  let credit = 0;
  for (const g of glEntries) {
    let a = accounts.get(g.glAccountNo);
    if (a === undefined)
      accounts.set(
        g.glAccountNo,
        (a = { no: g.glAccountNo, name: g.glAccountName, debit: 0, credit: 0, net: 0 })
      );
    else if (a.name === "" && g.glAccountName !== "") a.name = g.glAccountName;
    let d = dates.get(g.postingDate);
    if (d === undefined)
      dates.set(g.postingDate, (d = { date: g.postingDate, debit: 0, credit: 0, net: 0 }));
    const dr = g.amount > 0 ? g.amount : 0;
    const cr = g.amount < 0 ? -g.amount : 0;
    a.debit += dr;
    a.credit += cr;
    a.net += g.amount;
    d.debit += dr;
    d.credit += cr;
    d.net += g.amount;
    debit += dr;
    credit += cr;
  }
  const byDate = [...dates.values()].sort((x, y) => x.date - y.date);
  const problem =
    debit !== credit
      ? `debit total ${debit} differs from credit total ${credit} (minor units)`
      : postingBalanceProblem({ glEntries, totals: { debit, credit } });
  return {
    accounts: [...accounts.values()].sort((x, y) => (x.no < y.no ? -1 : x.no > y.no ? 1 : 0)),
    byDate,
    totals: { debit, credit, net: debit - credit },
    balanced: problem === null,
    problem,
  };
}
