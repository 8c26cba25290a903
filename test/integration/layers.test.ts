import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SRC } from '../kit/index.js';

/**
 * The folders of src/ from the ground floor up (docs/development.md, "Layout"). A file may import from its own
 * folder, from a folder on a lower floor, or from one on its own floor; never from a higher floor.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['util', 'version.ts'],
  ['model'],
  ['operations', 'logging'],
  ['settings', 'manifest', 'progress', 'simulator'],
  ['client'],
  ['records'],
  ['report'],
  ['sources', 'steps', 'resume'],
  ['engine'],
  ['pipelines', 'merge'],
  ['api', 'doctor'],
  ['commands'],
  ['cli.ts', 'index.ts'],
];


function floorOf(file: string): number {
  const top = relative(SRC, file).split('/')[0]!;
  const floor = FLOORS.findIndex((names) => names.includes(top));
  if (floor < 0) throw new Error(`${relative(SRC, file)}: its folder "${top}" is on no floor: add it to FLOORS in ${fileURLToPath(import.meta.url)}`);
  return floor;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

/** Every relative import in src/ that points to a higher floor, as `from → to`. */
function upwardImports(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const target = resolve(dirname(file), (m[1] ?? m[2])!.replace(/\.js$/, '.ts'));
      if (floorOf(target) > floorOf(file)) out.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  return out;
}

describe('the layers of src/', () => {
  it('no file imports from a higher floor', () => {
    expect(upwardImports()).toEqual([]);
  });

  it('the check sees an upward import (a file of model/ importing from engine/ would be listed)', () => {
    expect(floorOf(join(SRC, 'engine', 'x.ts'))).toBeGreaterThan(floorOf(join(SRC, 'model', 'x.ts')));
    const sample = "import { x } from '../engine/row-engine.js';\nexport { y } from './z.js';\nconst m = await import('../api/a.js');";
    expect([...sample.matchAll(IMPORT)].map((m) => m[1] ?? m[2])).toEqual(['../engine/row-engine.js', './z.js', '../api/a.js']);
  });
});
