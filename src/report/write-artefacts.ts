import type { RunInfo } from './run-info.js';

/**
 * Derived artefacts of a finished report folder (junit.xml, summary.md, report.html), built from its
 * results.json and summary.json. Called at the end of a run and by merge-reports.
 * TODO(issue 4): generate the artefacts; until then a report folder has the core files only.
 */
export async function writeArtefacts(dir: string, info: RunInfo): Promise<void> {
  void dir;
  void info;
}
