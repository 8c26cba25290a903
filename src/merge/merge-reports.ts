import { mkdir, mkdtemp, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { JobError } from '../model/errors.js';
import { Secrets } from '../logging/secrets.js';
import { isStepsOperation, resolveOperation } from '../operations/steps-operation.js';
import { REPORT_FILES } from '../records/report-files.js';
import { ReportWriter } from '../report/report-writer.js';
import { runExitCode } from '../model/errors.js';
import { writeRunInfo } from '../records/run-info.js';
import { mergeVersionWarning } from '../report/version-check.js';
import { countResult, emptyCounts, toSummary, type JobSummary } from '../model/summary.js';
import { ArtefactBuilder } from '../report/artefact-builder.js';
import { appendStepSummary } from '../report/step-summary.js';
import { mergeByLine } from './merge-by-line.js';
import { mergedRunInfo, anyAborted, type MergedRunInfo } from './merged-run-info.js';
import { readReportFolders, type ReportFolder } from './read-report-folder.js';
import { readResultRows } from './read-result-rows.js';
import { joinNdjson, resultEntry, type ResultIndex } from './join-ndjson.js';
import { decodeJournalLine } from '../records/row-codec.js';
import { decodeWriteRecord } from '../records/write-log.js';
import type { RowResult } from '../model/row-result.js';

export type MergeDeps = { now: () => Date; env?: NodeJS.ProcessEnv; warn?: (message: string) => void };
export type MergeOutcome = { summary: JobSummary; info: MergedRunInfo; outDir: string };

/**
 * `odin-bulk merge-reports DIR… --out DIR`: joins the report folders of one manifest's shards into one, as if
 * one run had made it. Rows stream through a k-way merge by manifest line into the same report writer (and artefact
 * builder) a run uses; the folder is built beside --out and renamed into place, so it appears whole or not at all.
 */
export async function mergeReports(dirs: readonly string[], outDir: string, deps: MergeDeps): Promise<MergeOutcome> {
  const folders = await readReportFolders(dirs);
  const info = mergedRunInfo(folders, deps.now());
  const versions = mergeVersionWarning(folders.map((f) => ({ dir: f.dir, version: f.info.odinBulkVersion })));
  if (versions) deps.warn?.(versions);
  const resolved = resolveOperation(info.operation);
  const op = 'op' in resolved ? resolved.op : undefined;
  if (!op) throw new JobError('EINPUT', `the folders are of operation "${info.operation}", which this odin-bulk does not know`);
  await refuseUsedOutDir(outDir);
  await mkdir(dirname(outDir), { recursive: true });
  const staging = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.merging-`));
  let summary: JobSummary;
  let markdown: string;
  try {
    await writeRunInfo(staging, info);
    // The artefacts are built from the merged rows as they pass, in the same one pass over the parts' results.json.
    const artefacts = new ArtefactBuilder(staging, info, outDir);
    const writer = new ReportWriter({ dir: staging, op, fieldsUsed: info.fieldsUsed, journal: false, artefacts }, new Secrets());
    const counts = emptyCounts(isStepsOperation(op) ? op.steps.map((s) => s.name) : undefined);
    // Each part's rows by manifest line, to check its journal against (and its summary.json's count).
    const parts = folders.map((f) => ({ dir: f.dir, results: new Map() as ResultIndex }));
    const streams = folders.map((f, i) => ({ name: f.dir, rows: indexed(readResultRows(f.dir, op.keyFields), parts[i]!.results) }));
    let index = 0;
    for await (const row of mergeByLine(streams)) {
      countResult(counts, row);
      writer.onResult(row, index++);
    }
    refuseMissingRows(folders, parts);
    await joinNdjson(parts, staging, { name: REPORT_FILES.journal, decode: decodeJournalLine, matchResults: 'row', warn: deps.warn });
    // The parts' records of the PUTs they sent (runs only: a plan sends none and has no such file).
    if (await anyHas(folders, REPORT_FILES.writes)) {
      await joinNdjson(parts, staging, { name: REPORT_FILES.writes, decode: decodeWriteRecord, matchResults: 'target', warn: deps.warn });
    }
    summary = toSummary(counts, {
      requests: sum(folders, (f) => f.summary.requests),
      retries: sum(folders, (f) => f.summary.retries),
      // The parts ran side by side (a CI matrix): the merged run took as long as the longest one.
      durationMs: Math.max(...folders.map((f) => f.summary.durationMs ?? 0)),
      exitCode: runExitCode(counts, { aborted: anyAborted(folders), failOnChanges: info.settings.failOnChanges }),
    });
    await writer.finish(summary);
    markdown = await artefacts.commit(summary);
    await moveIntoPlace(staging, outDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  for (const warning of await appendStepSummary(markdown, deps.env)) deps.warn?.(warning);
  return { summary, info, outDir };
}

const sum = (folders: readonly ReportFolder[], value: (f: ReportFolder) => number | undefined): number =>
  folders.reduce((total, f) => total + (value(f) ?? 0), 0);

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

async function anyHas(folders: readonly ReportFolder[], name: string): Promise<boolean> {
  for (const f of folders) if (await isFile(join(f.dir, name))) return true;
  return false;
}

/** The rows of one part as they stream into the merge, each noted in `index` (manifest line → status and target). */
async function* indexed(rows: AsyncGenerator<RowResult>, index: ResultIndex): AsyncGenerator<RowResult> {
  for await (const row of rows) {
    index.set(row.line, resultEntry(row));
    yield row;
  }
}

/**
 * A part whose results.json holds other than the rows its summary.json counts lost or gained rows after its run
 * (an edit, a bad copy): the merged report would quietly miss them or show rows no run made. EINPUT, nothing written.
 */
function refuseMissingRows(folders: readonly ReportFolder[], parts: readonly { dir: string; results: ResultIndex }[]): void {
  const problems = folders.flatMap((f, i) => {
    const rows = parts[i]!.results.size;
    const total = f.summary.total;
    return typeof total === 'number' && total !== rows
      ? [`${join(f.dir, REPORT_FILES.resultsJson)} holds ${rows} rows; ${join(f.dir, REPORT_FILES.summary)} counts ${total} (to write them anew from its journal: --resume ${f.dir})`]
      : [];
  });
  if (problems.length) {
    throw new JobError('EINPUT', "a part's results.json does not hold the rows its run counted: it is damaged; nothing was written", [
      ...problems,
      'Run that shard again into a new folder, or run it again with --resume (its reports are written anew from its journal), then merge.',
    ]);
  }
}

/** Refuses an --out folder that already holds files, so a merge never mixes with another report. */
async function refuseUsedOutDir(dir: string): Promise<void> {
  if (dir.trim() === '') throw new JobError('EINPUT', '--out is empty: name a new folder for the merged report (an unset variable?)');
  if ((await stat(dir).catch(() => undefined))?.isDirectory() === false) {
    throw new JobError('EINPUT', `--out ${dir} is a file, not a folder`, ['Give merge-reports a new --out folder.']);
  }
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : ['?']));
  if (existing.length) {
    throw new JobError('EINPUT', `--out ${dir} is not an empty folder`, ['Give merge-reports a new --out folder.']);
  }
}

async function moveIntoPlace(staging: string, outDir: string): Promise<void> {
  await rmdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(staging, outDir);
}
