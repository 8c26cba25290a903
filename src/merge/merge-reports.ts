import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
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
    const streams = folders.map((f) => ({ name: f.dir, rows: readResultRows(f.dir, op.keyFields) }));
    let index = 0;
    for await (const row of mergeByLine(streams)) {
      countResult(counts, row);
      writer.onResult(row, index++);
    }
    await concatNdjson(folders, REPORT_FILES.journal, staging);
    // The parts' records of the PUTs they sent (runs only: a plan sends none and has no such file).
    if (await anyHas(folders, REPORT_FILES.writes)) await concatNdjson(folders, REPORT_FILES.writes, staging);
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

/** `name` (journal.ndjson, writes.ndjson) of each part, one after the other, streamed into `dir`; a part without one adds nothing. */
async function concatNdjson(folders: readonly ReportFolder[], name: string, dir: string): Promise<void> {
  const out = createWriteStream(join(dir, name));
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  for (const f of folders) {
    const source = join(f.dir, name);
    if (!(await isFile(source))) continue;
    let endsWithNewline = true;
    for await (const chunk of createReadStream(source, { encoding: 'utf8' })) {
      await write(chunk as string);
      endsWithNewline = (chunk as string).endsWith('\n');
    }
    // A journal cut short by a crash may lack its last newline; the next part must still start on its own line.
    if (!endsWithNewline) await write('\n');
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
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
