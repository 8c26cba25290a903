import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Every folder tempDir made in this test file; removed after its last test (test/kit/setup.ts). */
const made: string[] = [];

/**
 * A fresh folder under the OS temp dir, with the given files (relative path → content) written into it. It is
 * removed after the test file's last test, whatever happened: no test leaves a folder behind.
 */
export async function tempDir(files: Record<string, string | Buffer> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'odin-bulk-test-'));
  made.push(dir);
  await writeFiles(dir, files);
  return dir;
}

/** Writes files (relative path → content) into `dir`, making folders as needed; returns the path of the first. */
export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return join(dir, Object.keys(files)[0] ?? '');
}

/** Removes every folder tempDir made (the setup file calls it after each test file). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
