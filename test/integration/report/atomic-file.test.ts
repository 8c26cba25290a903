import { beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AtomicFile, writeAround } from '../../../src/records/atomic-file.js';
import { tempDir } from '../../kit/index.js';

describe('AtomicFile', () => {
  let dir: string;
  beforeEach(async () => (dir = await tempDir()));

  // 3,000 lines of ~60 characters: several of the 64 KB chunks it gathers, and a part-chunk at the end.
  const lines = Array.from({ length: 3000 }, (_, i) => `${i + 2},user${String(i + 1).padStart(5, '0')}@sim.odin.test,updated,2,,true,false\n`);

  it('is absent under its name until commit, then holds every line in order, and the .partial is gone', async () => {
    const path = join(dir, 'results.csv');
    const file = new AtomicFile(path);
    for (const line of lines) file.write(line);
    await file.drained();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.partial`)).toBe(true);

    await file.commit();
    expect(await readFile(path, 'utf8')).toBe(lines.join(''));
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('leaves nothing behind when discarded, whatever it had gathered', async () => {
    const path = join(dir, 'rollback.csv');
    const file = new AtomicFile(path);
    for (const line of lines) file.write(line);
    await file.discard();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('leaves no .partial behind when many are discarded at once, before their files have finished opening', async () => {
    // The stream opens its file on the thread pool: a removal that overtook the open left the file it then made.
    const left: string[] = [];
    for (let round = 0; round < 10; round++) {
      const files = Array.from({ length: 50 }, (_, i) => new AtomicFile(join(dir, `r${round}-${i}.csv`)));
      for (const file of files) file.write(lines[0]!);
      await Promise.all(files.map((file) => file.discard()));
      left.push(...files.map((file) => `${file.path}.partial`).filter((partial) => existsSync(partial)));
    }
    expect(left).toEqual([]);
  });

  it('writeAround: the head, then the bytes of a part written earlier (several chunks, any characters), then the tail; the part is gone', async () => {
    const path = join(dir, 'report.html');
    const part = new AtomicFile(`${path}.rows`);
    const rows = lines.map((line, i) => (i % 7 ? line : `→ ${line}`));
    for (const line of rows) part.write(line);
    await writeAround(path, '<head>\n', part, '</tail>\n');
    expect(await readFile(path, 'utf8')).toBe(`<head>\n${rows.join('')}</tail>\n`);
    expect(await readdir(dir)).toEqual(['report.html']);
  });

  it('writeAround that cannot write its file leaves nothing behind, the part included', async () => {
    const part = new AtomicFile(join(dir, 'junit.xml.cases'));
    for (const line of lines) part.write(line);
    await expect(writeAround(join(dir, 'missing', 'junit.xml'), '<head>', part, '</tail>')).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});
