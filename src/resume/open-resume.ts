import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../model/errors.js';
import type { JobOptions } from '../settings/job-options.js';
import { hashFile } from '../manifest/open-manifest.js';
import type { Fields } from '../operations/types.js';
import { JournalDamaged, JournalIndex } from './journal-index.js';
import { REPORT_FILES } from '../records/report-files.js';
import { readRunInfo, RUN_INFO_FILE, RUN_INFO_VERSION, otherServer, serverRoot, type RunInfo } from '../records/run-info.js';
import { readWriteLog, WriteLogDamaged, type EarlierWrite } from '../records/write-log.js';

export type ResumeState = {
  info: RunInfo;
  journal: JournalIndex;
  /** PUTs an earlier attempt sent for rows it did not finish (writes.ndjson), by manifest line. */
  writes: Map<number, EarlierWrite>;
};

/**
 * Checks, before the manifest is even validated, that report folder `dir` can be resumed with these options:
 * anything that would make the resumed reports lie is refused with ERESUME (exit 2), saying what to do instead:
 * no run.json or journal, another operation, run versus plan, a changed manifest. Changes nothing.
 */
export async function checkResumable(dir: string, options: JobOptions, server: string): Promise<RunInfo> {
  const info = await readRunInfo(dir);
  const fresh = 'Start a new run without --resume (it writes a new report folder).';
  if (!info) {
    throw new JobError('ERESUME', `cannot resume ${dir}: it has no readable ${RUN_INFO_FILE} (missing or damaged), so it is not the report folder of a started run`, [
      'Give --resume the folder the interrupted run printed (Reports: …), or',
      fresh,
    ]);
  }
  if (info.version !== RUN_INFO_VERSION) {
    throw new JobError('ERESUME', `cannot resume ${dir}: its ${RUN_INFO_FILE} is version ${String(info.version)}, this odin-bulk reads version ${RUN_INFO_VERSION}`, [fresh]);
  }
  const journalFile = join(dir, REPORT_FILES.journal);
  if (!(await access(journalFile).then(() => true, () => false))) {
    throw new JobError('ERESUME', `cannot resume ${dir}: it has no ${REPORT_FILES.journal}, so nothing tells which rows were done`, [fresh]);
  }
  if (info.operation !== options.op.name) {
    throw new JobError('ERESUME', `cannot resume ${dir}: it ran operation ${info.operation}, this command asks for ${options.op.name}`, [
      `Resume with the same job file or --operation ${info.operation}, or start a new run without --resume.`,
    ]);
  }
  if (otherServer(info.server, server)) {
    throw new JobError('ERESUME', `cannot resume ${dir}: it ran against ${info.server}, this command against ${serverRoot(server)}`, [
      'Resuming would leave the rows done on one server and the rest on another, with one report for both.',
      `Set ODIN_BASE_URL to ${info.server} and resume; or, if that is the same Odin at a new address, start a new run without --resume: rows already as requested are read, found unchanged and not written again.`,
    ]);
  }
  if (info.dryRun !== options.dryRun) {
    const [was, is] = info.dryRun ? ['plan', 'run'] : ['run', 'plan'];
    throw new JobError('ERESUME', `cannot resume ${dir} with \`odin-bulk ${is}\`: it holds an \`odin-bulk ${was}\``, [
      `Resume it with \`odin-bulk ${was} … --resume ${dir}\`, or start a new ${is} without --resume.`,
    ]);
  }
  const shardText = (s?: { index: number; count: number }) => (s ? `--shard ${s.index}/${s.count}` : 'no --shard');
  if (shardText(info.shard) !== shardText(options.shard)) {
    throw new JobError('ERESUME', `cannot resume ${dir}: it ran with ${shardText(info.shard)}, this command has ${shardText(options.shard)}`, [
      `Resume with ${shardText(info.shard)}: each shard resumes in its own report folder.`,
    ]);
  }
  if (!options.manifest) {
    throw new JobError('ERESUME', `cannot resume ${dir}: --resume works for manifest jobs; a group target is listed afresh each run`, [
      'Run the group job again without --resume: rows already as requested are unchanged and get no PUT.',
    ]);
  }
  const shown = (d: string | undefined) => (d === undefined ? "','" : d === '\t' ? 'tab' : `'${d}'`);
  if (info.delimiter !== options.delimiter) {
    throw new JobError('ERESUME', `cannot resume ${dir}: it read the manifest with --delimiter ${shown(info.delimiter)}, this command with ${shown(options.delimiter)}`, [
      `Resume with --delimiter ${shown(info.delimiter)} (or the same job file).`,
    ]);
  }
  const manifestHash = await hashFile(options.manifest).catch(() => undefined);
  if (manifestHash === undefined) {
    throw new JobError('ERESUME', `cannot resume ${dir}: the manifest ${options.manifest} cannot be read`, [
      `The run started from ${info.manifest}; give that file (unchanged) with the same job file or --manifest.`,
    ]);
  }
  if (info.manifestHash !== manifestHash) {
    throw new JobError('ERESUME', `cannot resume ${dir}: the manifest changed since that run started`, [
      `${options.manifest} now has sha256 ${manifestHash.slice(0, 12)}…; the run started from ${info.manifest} with sha256 ${(info.manifestHash ?? "").slice(0, 12)}….`,
      'Resuming would mix rows of two different manifests. Either restore the manifest exactly as it was and resume,',
      'or start a new run (without --resume) with the changed manifest: rows already done are read, found unchanged and not written again.',
    ]);
  }
  return info;
}

/**
 * After validation: checks the defaults applied to every row are still the same, then indexes the journal
 * (cutting off a half-written last line). Returns what the run needs to skip finished rows.
 */
export async function openResume(dir: string, info: RunInfo, defaults: Fields, retryFailed = false): Promise<ResumeState> {
  if (info.defaults && canonical(info.defaults) !== canonical(defaults)) {
    throw new JobError('ERESUME', `cannot resume ${dir}: the defaults applied to every row changed since that run started`, [
      `then: ${canonical(info.defaults)}`,
      `now:  ${canonical(defaults)}`,
      'Restore the job file\'s "defaults" and resume, or start a new run without --resume.',
    ]);
  }
  const journalFile = join(dir, REPORT_FILES.journal);
  const writesFile = join(dir, REPORT_FILES.writes);
  const damaged = (what: string, file: string) =>
    new JobError('ERESUME', `cannot resume ${dir}: ${what} (${file})`, [
      'The journal and writes.ndjson are the record of what was written; they must not be edited. Start a new run without --resume:',
      'rows already done are read, found unchanged and not written again.',
    ]);
  let journal: JournalIndex;
  try {
    journal = await JournalIndex.open(journalFile, { retryFailed });
  } catch (error) {
    if (!(error instanceof JournalDamaged)) throw error;
    throw damaged(error.message, journalFile);
  }
  try {
    // Only rows the resume will run again need them: a few (those in flight at the stop), not the whole run.
    const writes = await readWriteLog(writesFile, (line) => journal.idOf(line) === undefined);
    return { info, journal, writes };
  } catch (error) {
    journal.close();
    if (!(error instanceof WriteLogDamaged)) throw error;
    throw damaged(error.message, writesFile);
  }
}

/** Throws ERESUME when a journal entry does not belong to this manifest row (same line, other target). */
export function checkJournalRow(journal: JournalIndex, line: number, id: string, dir: string): void {
  const recorded = journal.idOf(line);
  if (recorded !== undefined && recorded !== id) {
    throw new JobError('ERESUME', `cannot resume ${dir}: its journal has ${recorded} on line ${line}, the manifest has ${id}`, [
      'The journal does not belong to this manifest. Start a new run without --resume.',
    ]);
  }
}

function canonical(fields: Fields): string {
  return JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))));
}
