/**
 * When each stage of a run began (reading, computing, writing, done), for the benchmark: off unless a caller
 * in the same process turns it on, so a run pays one comparison per progress report. The marks come from
 * the run itself (postWorkbook's progress), not from a copy of its steps.
 */
import type { RunProgress } from "./run";

export interface StageMark {
  stage: RunProgress["stage"];
  /** performance.now() when the stage began. */
  at: number;
}

let marks: StageMark[] | null = null;

/** Starts recording (dropping earlier marks). */
export function recordStageTimes(): void {
  marks = [];
}

/** The marks recorded since recordStageTimes, in order (one per stage change). */
export function stageMarks(): readonly StageMark[] {
  return marks ?? [];
}

/** Notes that a run is in `stage` now (only its first report of a stage counts). */
export function markStage(stage: RunProgress["stage"]): void {
  if (marks && (marks.length === 0 || marks[marks.length - 1].stage !== stage))
    marks.push({ stage, at: performance.now() });
}
