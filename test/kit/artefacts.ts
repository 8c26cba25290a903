import { readResults, readSummary } from '../../src/records/read-results.js';
import type { RunInfo } from '../../src/records/run-info.js';
import { ArtefactBuilder } from '../../src/report/artefact-builder.js';
import { appendStepSummary } from '../../src/report/step-summary.js';

/**
 * The artefacts (junit.xml, summary.md, report.html) of a finished report folder, built again from its results.json,
 * summary.json and run.json: the artefact builder a run feeds as its rows pass, fed from the file instead. For tests
 * of the builder and of what a run made; if building fails, no partial file may be left behind. With `env`, summary.md
 * goes to GITHUB_STEP_SUMMARY as a run's does; returns the warnings that gives.
 */
export async function rebuildArtefacts(dir: string, info: RunInfo, options: { env?: Record<string, string | undefined> } = {}): Promise<{ warnings: string[] }> {
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
  return { warnings: await appendStepSummary(await builder.commit(summary), options.env) };
}
