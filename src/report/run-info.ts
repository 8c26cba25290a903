import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobOptions } from '../job/job-options.js';
import { writeFileAtomic } from './atomic-file.js';

export const RUN_INFO_FILE = 'run.json';
export const RUN_INFO_VERSION = 1;

/** What a report folder was made from: written when a run starts, read by resume, apply and merge-reports. */
export type RunInfo = {
  version: typeof RUN_INFO_VERSION;
  job: string;
  operation: string;
  keyFields: string[];
  manifest: string;
  /** sha256 of the manifest's bytes. */
  manifestHash: string;
  fieldsUsed: string[];
  dryRun: boolean;
  startedAt: string;
  settings: Pick<JobOptions, 'concurrency' | 'rate' | 'retries' | 'timeoutMs' | 'strictGates'>;
  /** Set when the folder holds an `odin-bulk apply` of a plan rather than a run of the manifest. */
  plan?: { file: string; createdAt: string; force: boolean };
};

export function runInfoFor(options: JobOptions, manifestHash: string, fieldsUsed: string[], startedAt: Date): RunInfo {
  const { concurrency, rate, retries, timeoutMs, strictGates } = options;
  return {
    version: RUN_INFO_VERSION,
    job: options.name,
    operation: options.op.name,
    keyFields: [...options.op.keyFields],
    manifest: options.manifest,
    manifestHash,
    fieldsUsed,
    dryRun: options.dryRun,
    startedAt: startedAt.toISOString(),
    settings: { concurrency, rate, retries, timeoutMs, strictGates },
  };
}

export async function writeRunInfo(dir: string, info: RunInfo): Promise<void> {
  await writeFileAtomic(join(dir, RUN_INFO_FILE), JSON.stringify(info, null, 2) + '\n');
}

export async function readRunInfo(dir: string): Promise<RunInfo | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, RUN_INFO_FILE), 'utf8')) as RunInfo;
  } catch {
    return undefined;
  }
}
