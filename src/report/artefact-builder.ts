import { join } from 'node:path';
import type { RowResult } from '../model/row-result.js';
import type { JobSummary } from '../model/summary.js';
import { writeFileAtomic } from '../records/atomic-file.js';
import type { RunInfo } from '../records/run-info.js';
import { HTML_REPORT_FILE, HtmlReportWriter } from './html-report.js';
import { JUNIT_FILE, JunitWriter } from './junit-xml.js';
import { PlanReview } from './plan-review.js';
import { SUMMARY_MD_FILE, SummaryMarkdown } from './summary-md.js';
import { wavesHtml, wavesMarkdown } from './waves-text.js';

/**
 * The derived artefacts of a report folder (junit.xml, report.html, summary.md), built from its rows as results.json
 * has them, in manifest order, fed by the report writer as the rows pass (a run's, or merge-reports'), so the end of a
 * run reads nothing back. The rows of report.html
 * and junit.xml go to part files beside them; the review and summary.md keep only counts and the first rows. At the
 * end (`commit`) the heads, which show the summary, are written and the parts copied in; each file appears
 * atomically, and if one fails none of the partial files is left behind.
 */
export class ArtefactBuilder {
  private readonly review: PlanReview;
  private readonly junit: JunitWriter;
  private readonly html: HtmlReportWriter;
  private readonly markdown: SummaryMarkdown;
  private refused: Error | undefined;

  /** `shown`: the folder the artefacts name (merge-reports builds them in a staging folder renamed to it). */
  constructor(private readonly dir: string, private readonly info: RunInfo, private readonly shown = dir) {
    this.review = new PlanReview(info.fieldsUsed, info.dryRun);
    this.junit = new JunitWriter(join(dir, JUNIT_FILE), info);
    this.html = new HtmlReportWriter(join(dir, HTML_REPORT_FILE));
    this.markdown = new SummaryMarkdown(info, shown);
  }

  /** The next row, in manifest order. */
  add(row: RowResult): void {
    if (this.refused) return;
    this.review.add(row);
    this.junit.add(row);
    this.html.add(row);
    this.markdown.add(row);
  }

  /** A row results.json holds but could not give back: `commit` throws `error`, as reading the file would have. */
  refuse(error: Error): void {
    this.refused ??= error;
  }

  /** Resolves once the parts' text has gone to disk. */
  async drained(): Promise<void> {
    await Promise.all([this.junit.drained(), this.html.drained()]);
  }

  /** Writes the three files; returns summary.md's text. On failure nothing of them is left but what was already whole. */
  async commit(run: JobSummary): Promise<string> {
    try {
      if (this.refused) throw this.refused;
      // The summary as summary.json holds it, as the rows are as results.json holds them.
      const summary = JSON.parse(JSON.stringify(run)) as JobSummary;
      const md = this.markdown.render(summary, [...(summary.waves ? [...wavesMarkdown(summary.waves), ''] : []), ...this.review.markdown()]);
      const sections = (summary.waves ? wavesHtml(summary.waves) : '') + this.review.html();
      await Promise.all([this.junit.commit(summary), this.html.commit(this.info, summary, this.shown, sections), writeFileAtomic(join(this.dir, SUMMARY_MD_FILE), md)]);
      return md;
    } catch (error) {
      await this.discard();
      throw error;
    }
  }

  /** Removes the parts (a run that did not finish). */
  async discard(): Promise<void> {
    await Promise.all([this.junit.discard(), this.html.discard()]);
  }
}
