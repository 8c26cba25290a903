import { unlinkSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { JobError } from '../model/errors.js';
import { shellQuote } from '../util/shell-quote.js';

/** The lock file a run holds in its report folder while it works. */
export const LOCK_FILE = 'odin-bulk.lock';

/** What the lock file holds: who has the folder. */
export type LockOwner = { pid: number; host: string; startedAt: string; command: string };

export type FolderLock = {
  readonly dir: string;
  /** Removes the lock (and the folder, when this run created it and wrote nothing into it). Safe to call twice. */
  release(): Promise<void>;
};

export type ClaimOptions = {
  /** `run`, `plan` or `apply`: recorded in the lock, named to a second run. */
  command: string;
  /** Resuming: the folder holds an earlier attempt's files; a fresh run needs it new or empty. */
  resume?: boolean;
  now?: () => Date;
  /** This process, as the lock records it. @default process.pid and os.hostname() */
  pid?: number;
  host?: string;
  /** Whether a process of this machine still runs. @default process.kill(pid, 0) */
  isAlive?: (pid: number) => boolean;
  /** Where the lock is removed when the process exits without releasing it (a second Ctrl-C). @default process */
  exitHook?: Pick<NodeJS.Process, 'once' | 'off'>;
};

/**
 * Claims report folder `dir` for one run, atomically: the lock file is created with `wx` (fails if it exists), so
 * of two runs started together exactly one gets the folder and the other stops before sending anything. A fresh
 * run also needs the folder new or empty. The lock holds the pid, host and start time; a lock whose process no longer
 * runs (a kill -9, a power cut) is named with how to clear it, never taken over silently. All refusals are EINPUT (exit 2).
 */
export async function claimReportFolder(dir: string, options: ClaimOptions): Promise<FolderLock> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new JobError('EINPUT', `the report folder ${dir} is a file, not a folder; nothing was sent`, [
      'Give --out a folder that does not exist yet (or an empty one), or leave --out off for a fresh reports/<job>-<time>/ folder.',
    ]);
  }
  let created: string | undefined;
  try {
    created = await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new JobError('EINPUT', `cannot create the report folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; nothing was sent`, [
      'Check that its parent is a folder you can write to, or choose another --out.',
    ]);
  }
  const file = join(dir, LOCK_FILE);
  const owner: LockOwner = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    startedAt: (options.now?.() ?? new Date()).toISOString(),
    command: options.command,
  };
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new JobError('EINPUT', `cannot write in the report folder ${dir}: ${(error as NodeJS.ErrnoException).code}; nothing was sent`);
    }
    throw await lockedError(dir, file, owner, options.isAlive ?? isAlive);
  }
  const hook = options.exitHook ?? process;
  // A second Ctrl-C leaves through process.exit: no finally block runs, but 'exit' listeners do.
  const onExit = () => {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  };
  hook.once('exit', onExit);
  let released = false;
  const lock: FolderLock = {
    dir,
    async release() {
      if (released) return;
      released = true;
      hook.off('exit', onExit);
      await unlink(file).catch(() => undefined);
      // A run stopped before it wrote anything (a refused login) leaves no empty folder behind.
      if (created !== undefined) await removeEmptyFolders(dir, created);
    },
  };
  if (!options.resume) {
    const files = (await readdir(dir)).filter((name) => name !== LOCK_FILE);
    if (files.length) {
      await lock.release();
      throw new JobError('EINPUT', `report folder ${dir} is not empty`, [
        `To continue the run that wrote it, add --resume ${dir} (and leave --out off).`,
        'Otherwise choose a new --out folder, or leave --out off for a fresh one.',
      ]);
    }
  }
  return lock;
}

async function lockedError(dir: string, file: string, me: LockOwner, alive: (pid: number) => boolean): Promise<JobError> {
  const owner = parseOwner(await readFile(file, 'utf8').catch(() => ''));
  const remove = `rm ${shellQuote(file)}`;
  if (!owner) {
    return new JobError('EINPUT', `report folder ${dir} is in use by another odin-bulk run (its lock file ${LOCK_FILE} is being written); nothing was sent`, [
      'Two runs must never write one report folder. Wait for the other run to finish, or choose another --out folder.',
      `If no odin-bulk run uses this folder, remove the lock: ${remove}`,
    ]);
  }
  const who = `pid ${owner.pid}${owner.host === me.host ? '' : ` on ${owner.host}`}, \`odin-bulk ${owner.command}\` started ${owner.startedAt}`;
  if (owner.host === me.host && !alive(owner.pid)) {
    return new JobError('EINPUT', `report folder ${dir} is locked by a run that is no longer running (${who}); nothing was sent`, [
      'That run was probably killed (kill -9, a crash, a power cut) before it could remove its lock.',
      `If no other odin-bulk run uses this folder, remove the stale lock: ${remove}`,
      owner.command === 'apply'
        ? 'To finish that apply, run the same odin-bulk apply again with another --out (or none): rows it already wrote are found unchanged.'
        : `Then continue that run with --resume ${shellQuote(dir)} (its journal records every row it finished).`,
    ]);
  }
  return new JobError('EINPUT', `report folder ${dir} is in use by another odin-bulk run (${who}); nothing was sent`, [
    'Two runs must never write one report folder. Wait for that run to finish, or choose another --out folder.',
    `If that process is not an odin-bulk run using this folder, remove the lock: ${remove}`,
  ]);
}

/** Removes `dir` and the parents mkdir made for it (up to `created`), as long as each is empty. */
async function removeEmptyFolders(dir: string, created: string): Promise<void> {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (!(await rmdir(at).then(() => true, () => false))) return;
    if (at === resolve(created) || dirname(at) === at) return;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.startedAt === 'string' && typeof value.command === 'string') {
      return value as LockOwner;
    }
  } catch {
    // empty or damaged: described as "being written"
  }
  return undefined;
}

/** Signal 0 tests for a process without touching it: ESRCH means there is none; EPERM means one runs as another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
