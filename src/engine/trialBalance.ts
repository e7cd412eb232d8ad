/**
 * The trial balance of a run (issue 12): the proposed G/L entries summed per G/L account and per posting
 * date, so a controller can check the run before and after posting. "Balanced" is checked here, on the
 * entries themselves (invariants.ts), not assumed.
 */
import type { GLEntryList } from "./glEntryTable";
import { GLEntryTable } from "./glEntryTable";
import type { DayNumber, Money } from "./types";

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
export function trialBalance(glEntries: GLEntryList): TrialBalance {
  return new TrialBalanceBuilder().add(glEntries).result();
}

/**
 * The trial balance built from G/L entries given in parts (a streamed run gives them a chunk at a time).
 * result(totals) checks the run's own totals against the entries; without them, the entries' sums stand.
 */
export class TrialBalanceBuilder {
  private accounts = new Map<string, TrialBalanceAccount>();
  private dates = new Map<DayNumber, TrialBalanceDate & { acy: Money }>();
  private debit = 0;
  private credit = 0;

  add(glEntries: GLEntryList): this {
    if (glEntries instanceof GLEntryTable) {
      // The columns themselves (no object per G/L entry).
      for (let i = 0; i < glEntries.length; i++) {
        const { glAccountNo, glAccountName } = glEntries.lineKey(i).account;
        this.addOne(
          glAccountNo,
          glAccountName,
          glEntries.postingDate[i],
          glEntries.amount[i],
          glEntries.additionalCurrencyAmount[i]
        );
      }
      return this;
    }
    for (let i = 0; i < glEntries.length; i++) {
      const g = glEntries.at(i)!;
      this.addOne(
        g.glAccountNo,
        g.glAccountName,
        g.postingDate,
        g.amount,
        g.additionalCurrencyAmount
      );
    }
    return this;
  }

  private addOne(no: string, name: string, date: DayNumber, amount: Money, acy: Money): void {
    const { accounts, dates } = this;
    let a = accounts.get(no);
    if (a === undefined) accounts.set(no, (a = { no, name, debit: 0, credit: 0, net: 0 }));
    else if (a.name === "" && name !== "") a.name = name;
    let d = dates.get(date);
    if (d === undefined) dates.set(date, (d = { date, debit: 0, credit: 0, net: 0, acy: 0 }));
    const dr = amount > 0 ? amount : 0;
    const cr = amount < 0 ? -amount : 0;
    a.debit += dr;
    a.credit += cr;
    a.net += amount;
    d.debit += dr;
    d.credit += cr;
    d.net += amount;
    d.acy += acy;
    this.debit += dr;
    this.credit += cr;
  }

  result(totals?: { debit: Money; credit: Money }): TrialBalance {
    const { debit, credit } = this;
    const byDate = [...this.dates.values()].sort((x, y) => x.date - y.date);
    let problem: string | null =
      debit !== credit
        ? `debit total ${debit} differs from credit total ${credit} (minor units)`
        : null;
    // The checks of postingBalanceProblem (invariants.ts), on the sums kept here.
    for (const d of byDate)
      if (problem === null && (d.net !== 0 || d.acy !== 0))
        problem = `the G/L entries of posting date ${d.date} sum to ${d.net} (LCY) and ${d.acy} (ACY) minor units, not 0`;
    if (
      problem === null &&
      totals !== undefined &&
      (totals.debit !== debit || totals.credit !== credit)
    )
      problem = `debit/credit totals ${totals.debit}/${totals.credit} differ from the G/L entries' ${debit}/${credit}`;
    return {
      accounts: [...this.accounts.values()].sort((x, y) =>
        x.no < y.no ? -1 : x.no > y.no ? 1 : 0
      ),
      byDate: byDate.map(({ date, debit, credit, net }) => ({ date, debit, credit, net })),
      totals: { debit, credit, net: debit - credit },
      balanced: problem === null,
      problem,
    };
  }
}
