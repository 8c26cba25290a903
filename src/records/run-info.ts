import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobOptions } from '../settings/job-options.js';
import type { Fields } from '../operations/types.js';
import type { Shard } from '../settings/shard.js';
import type { GroupTarget } from '../settings/group-target.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from './atomic-file.js';

export const RUN_INFO_FILE = 'run.json';
export const RUN_INFO_VERSION = 1;

/** What a report folder was made from: written when a run starts, read by resume, apply and merge-reports. */
export type RunInfo = {
  version: typeof RUN_INFO_VERSION;
  /** The odin-bulk that wrote the folder (package version); absent in folders of versions before it was recorded. */
  odinBulkVersion?: string;
  job: string;
  operation: string;
  /** The API root the run talked to (ODIN_BASE_URL); absent in folders of versions before it was recorded. */
  server?: string;
  keyFields: string[];
  /** The manifest; absent when the job targeted a group. */
  manifest?: string;
  /** sha256 of the manifest's bytes. */
  manifestHash?: string;
  /** The CSV manifest's cell separator, when it is not a comma (`--delimiter`). */
  delimiter?: string;
  /** The group the job targeted instead of a manifest. */
  target?: GroupTarget;
  /** With `target`: sha256 of the listed target ids (the group's userIds), one per line, in listing order. */
  userListHash?: string;
  fieldsUsed: string[];
  /** Field values applied to every row (job file and manifest defaults): part of what a resume must match. */
  defaults?: Fields;
  dryRun: boolean;
  startedAt: string;
  settings: Pick<JobOptions, 'concurrency' | 'rate' | 'retries' | 'timeoutMs' | 'strictGates' | 'failOnChanges'>;
  /** `--shard K/N`: this folder holds only that shard's rows. */
  shard?: Shard;
  /** Set when the folder holds an `odin-bulk apply` of a plan rather than a run of the manifest. */
  plan?: { file: string; createdAt: string; force: boolean };
};

/** `hash` is the manifest's hash, or for a group target the user list's. */
export function runInfoFor(options: JobOptions, hash: string, fieldsUsed: string[], startedAt: Date, defaults: Fields = {}, server?: string): RunInfo {
  const { concurrency, rate, retries, timeoutMs, strictGates, failOnChanges } = options;
  return {
    version: RUN_INFO_VERSION,
    odinBulkVersion: VERSION,
    job: options.name,
    operation: options.op.name,
    ...(server === undefined ? {} : { server: serverRoot(server) }),
    keyFields: [...options.op.keyFields],
    ...(options.target ? { target: { ...options.target }, userListHash: hash } : { manifest: options.manifest, manifestHash: hash }),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    fieldsUsed,
    defaults,
    dryRun: options.dryRun,
    startedAt: startedAt.toISOString(),
    settings: { concurrency, rate, retries, timeoutMs, strictGates, failOnChanges },
    ...(options.shard ? { shard: options.shard } : {}),
  };
}

export async function writeRunInfo(dir: string, info: RunInfo): Promise<void> {
  await writeFileAtomic(join(dir, RUN_INFO_FILE), JSON.stringify(info, null, 2) + '\n');
}

export async function readRunInfo(dir: string): Promise<RunInfo | undefined> {
  let info: Partial<RunInfo> | null;
  try {
    info = JSON.parse(await readFile(join(dir, RUN_INFO_FILE), 'utf8')) as Partial<RunInfo> | null;
  } catch {
    return undefined;
  }
  if (typeof info !== 'object' || info === null) return undefined;
  // Another version is returned as it is, for the caller to name the version; this one must be whole.
  if (info.version !== RUN_INFO_VERSION) return info as RunInfo;
  const whole = typeof info.job === 'string' && typeof info.operation === 'string' && typeof info.dryRun === 'boolean'
    && Array.isArray(info.keyFields) && Array.isArray(info.fieldsUsed);
  return whole ? (info as RunInfo) : undefined;
}

/**
 * An API root as run.json records it and as it is compared (a resume must talk to the server its run started with):
 * as a URL, so the host name's case, a default port and a trailing slash make no difference.
 */
export function serverRoot(url: string): string {
  try {
    return new URL(url).href.replace(/\/+$/, '');
  } catch {
    return url.replace(/\/+$/, '');
  }
}

/** True when a folder or plan recorded a server (`recorded`) and `server` is another one. */
export function otherServer(recorded: string | undefined, server: string): boolean {
  return recorded !== undefined && serverRoot(recorded) !== serverRoot(server);
}

/** What the run read its targets from, for people: the manifest path, or `group SP/GROUP`. */
export function runSource(info: Pick<RunInfo, 'manifest' | 'target'>): string {
  return info.target ? `group ${info.target.serviceProviderId}/${info.target.groupId}` : (info.manifest ?? '(unknown)');
}

/** The hash that ties a folder to its input: the manifest's, or the group's user list's. */
export function runInputHash(info: Pick<RunInfo, 'manifestHash' | 'userListHash'>): string {
  return info.manifestHash ?? info.userListHash ?? '';
}
