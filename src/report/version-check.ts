import { VERSION } from '../version.js';

/** How a folder's writer is named in a warning. */
const writer = (version: string | undefined) => (version === undefined ? 'an odin-bulk too old to record its version' : `odin-bulk ${version}`);

/**
 * `--resume` of a folder another odin-bulk version started: allowed (the journal format is the same), but said,
 * because the two halves of the reports then come from two versions. Undefined when the versions match. Pure.
 */
export function resumeVersionWarning(dir: string, recorded: string | undefined, current: string = VERSION): string | undefined {
  if (recorded === current) return undefined;
  return (
    `${dir} was started by ${writer(recorded)}; this is odin-bulk ${current}: the resumed reports hold rows from both versions. ` +
    (recorded === undefined ? 'To finish it with one version, resume with the odin-bulk that started it.' : `To finish it with one version, resume with odin-bulk ${recorded}.`)
  );
}

/**
 * `apply` of a plan another odin-bulk version made (or one that did not record its version): applied, but said,
 * because the plan's comparisons were made by that version's rules and apply checks each row again by this one's.
 * Undefined when the versions match. Pure.
 */
export function applyVersionWarning(file: string, recorded: string | undefined, current: string = VERSION): string | undefined {
  if (recorded === current) return undefined;
  return (
    `${file} was made by ${writer(recorded)}; this is odin-bulk ${current}: the plan was worked out by one version and is applied by another. ` +
    (recorded === undefined ? 'To plan and apply with one version, make the plan again with this odin-bulk.' : `To plan and apply with one version, apply with odin-bulk ${recorded}, or make the plan again with this one.`)
  );
}

/**
 * merge-reports of folders written by different odin-bulk versions (or by this one and another), or by a version
 * that did not record itself: merged anyway, but said, naming each folder's version. Undefined when all are this one. Pure.
 */
export function mergeVersionWarning(folders: readonly { dir: string; version: string | undefined }[], current: string = VERSION): string | undefined {
  if (folders.every((f) => f.version === current)) return undefined;
  const list = folders.map((f) => `${f.dir}: ${f.version ?? 'no version recorded (written before odin-bulk recorded it)'}`).join('; ');
  return (
    `the report folders were not all written by this odin-bulk (${current}): ${list}. ` +
    'The merged report mixes their output; for one consistent report, run every shard with the same version and merge with it.'
  );
}
