import { readResults, readSummary } from '../records/read-results.js';
import type { RunInfo } from '../records/run-info.js';
import { ArtefactBuilder } from './artefact-builder.js';
import { appendStepSummary } from './step-summary.js';

export type ArtefactOptions = {
  /**
   * The environment, passed in by the caller (never read from process.env here). When `GITHUB_STEP_SUMMARY`
   * names a file, summary.md is appended to it, as GitHub Actions expects.
   */
  env?: Readonly<Record<string, string | undefined>>;
};

/** What went wrong outside the folder; the artefacts themselves were written. */
export type ArtefactOutcome = { warnings: string[] };

/**
 * The artefacts (junit.xml, summary.md, report.html) of a finished report folder, from its results.json (streamed
 * once), summary.json and run.json: the artefact builder a run feeds as its rows pass, fed from the file instead.
 * Each file appears atomically; if building one fails, none of the partial files is left behind.
 */
export async function writeArtefacts(dir: string, info: RunInfo, options: ArtefactOptions = {}): Promise<ArtefactOutcome> {
  const summary = await readSummary(dir);
  const builder = new ArtefactBuilder(dir, info);
  try {
    for await (const row of readResults(dir, info.keyFields)) {
      builder.add(row);
      await builder.drained();
    }
  } catch (error) {
    await builder.discard();
    throw error;
  }
  const markdown = await builder.commit(summary);
  return { warnings: await appendStepSummary(markdown, options.env) };
}
