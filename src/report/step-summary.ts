import { appendFile } from 'node:fs/promises';

/**
 * summary.md appended to the file `GITHUB_STEP_SUMMARY` names, as GitHub Actions expects, when it names one. `env` is
 * passed in by the caller (never read from process.env here). Returns the warnings: what went wrong there, outside
 * the report folder.
 */
export async function appendStepSummary(markdown: string, env?: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const file = env?.GITHUB_STEP_SUMMARY;
  if (!file) return [];
  try {
    await appendFile(file, `${markdown}\n`);
    return [];
  } catch (error) {
    return [`could not append summary.md to GITHUB_STEP_SUMMARY (${file}): ${(error as Error).message}`];
  }
}
