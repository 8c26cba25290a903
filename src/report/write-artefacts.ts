import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../records/atomic-file.js';
import { HTML_REPORT_FILE, HtmlReportWriter } from './html-report.js';
import { JUNIT_FILE, JunitWriter } from './junit-xml.js';
import { readResults, readSummary } from '../records/read-results.js';
import type { RunInfo } from '../records/run-info.js';
import { SUMMARY_MD_FILE, SummaryMarkdown } from './summary-md.js';
import { PlanReview } from './plan-review.js';
import { wavesHtml, wavesMarkdown } from './waves-text.js';

export const ARTEFACT_FILES = { junit: JUNIT_FILE, summaryMd: SUMMARY_MD_FILE, html: HTML_REPORT_FILE } as const;

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
 * Derived artefacts of a finished report folder (junit.xml, summary.md, report.html), built from its
 * results.json (streamed once), summary.json and run.json. Called at the end of a run and by merge-reports.
 * Each file appears atomically; if building one fails, none of the partial files is left behind.
 */
export async function writeArtefacts(dir: string, info: RunInfo, options: ArtefactOptions = {}): Promise<ArtefactOutcome> {
  const summary = await readSummary(dir);
  // The review needs every row before the page's head: results.json is read once for it first.
  const review = new PlanReview(info.fieldsUsed, info.dryRun);
  for await (const row of readResults(dir, info.keyFields)) review.add(row);
  const junit = new JunitWriter(join(dir, JUNIT_FILE), info, summary);
  const html = new HtmlReportWriter(join(dir, HTML_REPORT_FILE), info, summary, dir, (summary.waves ? wavesHtml(summary.waves) : '') + review.html());
  const markdown = new SummaryMarkdown(info, summary, dir);
  let md: string;
  try {
    for await (const row of readResults(dir, info.keyFields)) {
      junit.add(row);
      html.add(row);
      markdown.add(row);
      await Promise.all([junit.drained(), html.drained()]);
    }
    md = markdown.render([...(summary.waves ? [...wavesMarkdown(summary.waves), ''] : []), ...review.markdown()]);
    await Promise.all([junit.commit(), html.commit(), writeFileAtomic(join(dir, SUMMARY_MD_FILE), md)]);
  } catch (error) {
    await Promise.all([junit.discard(), html.discard()]);
    throw error;
  }
  const warnings: string[] = [];
  const stepSummary = options.env?.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    try {
      await appendFile(stepSummary, `${md}\n`);
    } catch (error) {
      warnings.push(`could not append summary.md to GITHUB_STEP_SUMMARY (${stepSummary}): ${(error as Error).message}`);
    }
  }
  return { warnings };
}
