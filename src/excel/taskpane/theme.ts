/**
 * Follows Office's theme (Office.context.officeTheme): its body and control colors become the pane's CSS
 * variables and data-theme="dark" | "light" picks the rest of the palette (taskpane.css). Without a theme
 * (the try page, older hosts) nothing is set and taskpane.css falls back to prefers-color-scheme.
 */
export interface OfficeThemeLike {
  bodyBackgroundColor?: string;
  bodyForegroundColor?: string;
  controlBackgroundColor?: string;
  controlForegroundColor?: string;
  isDarkTheme?: boolean;
}

/** Relative luminance (WCAG) of #rgb / #rrggbb; null when the text is not such a color. */
export function luminance(color: string): number | null {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(color.trim());
  if (!m) return null;
  let hex = m[1];
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** The theme's data-theme value and CSS variables; null when Office gave no usable theme. */
export function themeVariables(
  t: OfficeThemeLike | null | undefined
): { theme: "dark" | "light"; vars: Record<string, string> } | null {
  if (!t) return null;
  const bg = t.bodyBackgroundColor ? luminance(t.bodyBackgroundColor) : null;
  if (t.isDarkTheme === undefined && bg === null) return null;
  const theme = (t.isDarkTheme ?? (bg as number) < 0.4) ? "dark" : "light";
  const vars: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value && luminance(value) !== null)
      vars[name] = value.startsWith("#") ? value : `#${value}`;
  };
  set("--bg2", t.bodyBackgroundColor);
  set("--fg1", t.bodyForegroundColor);
  set("--bg1", t.controlBackgroundColor);
  return { theme, vars };
}

export function applyOfficeTheme(root: HTMLElement, t: OfficeThemeLike | null | undefined): void {
  const v = themeVariables(t);
  if (v === null) return;
  root.dataset.theme = v.theme;
  for (const [k, value] of Object.entries(v.vars)) root.style.setProperty(k, value);
}
