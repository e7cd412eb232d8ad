/**
 * Loose name matching (workbook.md, "Names match loosely"), the workbook layer's rule: lower-case, keep
 * only letters and digits (OData escapes decoded). `Cost Amount (Actual)` and `costAmountActual` are one column.
 */
import { looseName } from '../workbook/names';

export function looseKey(name: string): string {
  return looseName(name);
}

export function looseEquals(a: string, b: string): boolean {
  return looseName(a) === looseName(b);
}

/** Index of the header cell that matches `name` loosely, or -1. */
export function findColumn(header: readonly string[], name: string): number {
  const key = looseName(name);
  return header.findIndex((h) => looseName(h) === key);
}
