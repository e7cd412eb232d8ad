/**
 * The style each written cell gets: the style of the cell it replaces or copies, switched for dates and
 * numbers, or one made for the column's format; the stylesheet is read (and added to) only when needed.
 */
import type { ColumnFormat } from "../../workbook/port";
import type { CellContent } from "./cellValues";
import type { WorkbookModel } from "./model";
import type { PartStore } from "./opc";
import { DATE_FORMAT, MINIMAL_STYLES, Styles, moneyFormat } from "./styles";
import { TIME_FORMAT } from "../../workbook/cellFormats";
import type { Target } from "./targets";

const FORMATS: ColumnFormat[] = ["text", "integer", "money", "date", "time", "boolean"];

export class CellStyles {
  private styles?: Styles;
  private readonly styleCache = new Map<number, number>();

  constructor(
    private readonly store: PartStore,
    private readonly model: WorkbookModel
  ) {}

  /**
   * The style of a written cell: the existing/copied style `base` when there is one (switched to a date
   * format when a date would land in a non-date style, and back for numbers in a date style), else a
   * style for the format: accounting for money, yyyy-mm-dd for dates, the default otherwise.
   */
  styleFor(format: ColumnFormat, content: CellContent, base: number | undefined): number {
    // Called for every written cell: memoized on (format, content kind, decimals, base).
    const decimalsKey =
      content.kind === "number" && content.decimals !== undefined
        ? Math.min(content.decimals, 30)
        : 31;
    const key =
      (((base ?? -1) + 1) * 32 + decimalsKey) * 64 +
      FORMATS.indexOf(format) * 4 +
      (content.kind === "number" ? 1 : content.kind === "text" ? 2 : 0);
    let s = this.styleCache.get(key);
    if (s === undefined) {
      s = this.computeStyle(format, content, base);
      this.styleCache.set(key, s);
    }
    return s;
  }

  private computeStyle(
    format: ColumnFormat,
    content: CellContent,
    base: number | undefined
  ): number {
    const st = this.stylesheet();
    const decimals =
      content.kind === "number" && content.decimals !== undefined ? content.decimals : 2;
    if (base !== undefined) {
      if (content.kind !== "number") return base;
      const isDate = st.isDateStyle(base);
      if (format === "date") return isDate ? base : st.styleFor(DATE_FORMAT, base);
      if (format === "time") return isDate ? base : st.styleFor(TIME_FORMAT, base);
      if (isDate) return st.styleFor(format === "money" ? moneyFormat(decimals) : "General", base);
      return base;
    }
    if (format === "money") return st.styleFor(moneyFormat(decimals));
    if (format === "date") return st.styleFor(DATE_FORMAT);
    if (format === "time" && content.kind === "number") return st.styleFor(TIME_FORMAT);
    return 0;
  }

  private stylesheet(): Styles {
    if (!this.styles) {
      const xml = this.model.stylesPath ? this.store.text(this.model.stylesPath) : undefined;
      this.styles = new Styles(xml ?? MINIMAL_STYLES);
    }
    return this.styles;
  }

  /** The new stylesheet's XML, or undefined when it was not read or nothing was added to it (Styles.result). */
  result(): string | undefined {
    return this.styles?.result();
  }
}

/** Style per column of a template row (the last or first data row), for the cells that exist there. */
export function rowStyles(t: Target, row: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (row === undefined) return out;
  for (const [col, st] of t.edit.rowState(row)) if (col >= t.c0) out.set(col, st.s);
  return out;
}
