/**
 * Allowed posting dates per user (rules.md section 8, settings 2-3): a User Setup row for the run's user takes
 * precedence over the General Ledger Setup's window, as BC's User Setup Management does
 * (IsPostingDateValidWithSetup): the user's From/To when the row exists and either is set; both blank falls
 * back to the G/L setup's window. A blank To means no end (BC: 31.12.9999), a blank From no start.
 */
import type { Settings, UserSetup } from "./types";

/** The settings with the posting window that applies to this user. */
export function settingsForUser(
  settings: Settings,
  userSetup: readonly UserSetup[] | null | undefined,
  userId: string
): Settings {
  if (userSetup === null || userSetup === undefined || userId.trim() === "") return settings;
  const id = userId.trim().toUpperCase();
  const row = userSetup.find((u) => u.userId.trim().toUpperCase() === id);
  if (row === undefined || (row.allowPostingFrom === null && row.allowPostingTo === null))
    return settings;
  return {
    ...settings,
    allowPostingFrom: row.allowPostingFrom,
    allowPostingTo: row.allowPostingTo,
  };
}
