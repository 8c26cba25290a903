import { describe, expect, it } from '@jest/globals';
import { JsonRowLocator, jsonRowLines } from '../../src/manifest/json-row-lines.js';

describe('jsonRowLines', () => {
  it('finds where each element of a top-level array starts', () => {
    const text = ['[', '  {"userId": "a"},', '  {', '    "userId": "b"', '  },', '', '  {"userId": "c"}', ']'].join('\n');
    expect(jsonRowLines(text)).toEqual([2, 3, 7]);
  });

  it('counts rows, not nested values, and ignores brackets, braces, commas and quotes inside strings', () => {
    const text = ['[', '  {"userId": "a,[{", "x": {"y": [1, 2]}},', '  {"userId": "b \\"]}\\" c"},', '  "not an object",', '  7', ']'].join('\n');
    expect(jsonRowLines(text)).toEqual([2, 3, 4, 5]);
  });

  it('uses the "rows" array of a {defaults, rows} object, whatever the key order', () => {
    const text = ['{', '  "rows": [', '    {"userId": "a"},', '    {"userId": "b"}', '  ],', '  "defaults": {"rows": [1, 2, 3]}', '}'].join('\n');
    expect(jsonRowLines(text)).toEqual([3, 4]);
    const defaultsFirst = ['{', '  "defaults": {"x": [{"y": 1}]},', '  "rows": [{"userId": "a"},', '', '    {"userId": "b"}]', '}'].join('\n');
    expect(jsonRowLines(defaultsFirst)).toEqual([3, 5]);
  });

  it('handles CRLF, several rows on one line and an empty array', () => {
    expect(jsonRowLines('[\r\n{"userId":"a"},{"userId":"b"}\r\n,{"userId":"c"}]')).toEqual([2, 2, 3]);
    expect(jsonRowLines('[]')).toEqual([]);
    expect(jsonRowLines('{"rows": []}')).toEqual([]);
  });
});

describe('JsonRowLocator fed in pieces', () => {
  const text = [
    '{',
    '  "defaults": {"clidPolicy": "Use \\"DN\\"", "rows": [{"x": 1}]},',
    '  "rows": [',
    '    {"userId": "a\\\\", "note": "é, ], }"},',
    '    {"userId": "b"}, 7,',
    '    "text"',
    '  ]',
    '}',
  ].join('\n');

  it('finds the same lines and keys whatever the chunk size, one character at a time included', () => {
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const locator = new JsonRowLocator();
      for (let i = 0; i < text.length; i += size) locator.feed(text.slice(i, i + size));
      const lines: number[] = [];
      for (let l = locator.takeLine(); l !== undefined; l = locator.takeLine()) lines.push(l);
      expect({ size, lines }).toEqual({ size, lines: [4, 5, 5, 6] });
      expect([...locator.keys]).toEqual([['defaults', '{'], ['rows', '[']]);
      expect(locator.topLevel).toBe('{');
    }
  });
});

describe('JsonRowLocator: keys named twice', () => {
  const text = [
    '{"defaults": {"a": 1, "a": 2},',
    ' "rows": [',
    '  {"userId": "x", "n": {"userId": 1, "userId": 2}, "userId": "y"},',
    '  {"userId": "z", "clidPolicy": "Use DN",',
    '   "clid\\u0050olicy": "Use Group CLID"},',
    '  {"k": "userId", "userId": "q"}',
    ' ],',
    ' "rows": []',
    '}',
  ].join('\n');

  it('are found per row (nested objects aside, escapes decoded), in defaults and at the top level, whatever the chunk size', () => {
    for (const size of [1, 2, 5, 64, text.length]) {
      const locator = new JsonRowLocator();
      for (let i = 0; i < text.length; i += size) locator.feed(text.slice(i, i + size));
      const rows = [locator.takeRow(), locator.takeRow(), locator.takeRow()];
      expect({ size, rows }).toEqual({
        size,
        rows: [
          { line: 3, index: 0, duplicates: [{ key: 'userId', line: 3, firstLine: 3 }] },
          { line: 4, index: 1, duplicates: [{ key: 'clidPolicy', line: 5, firstLine: 4 }] },
          { line: 6, index: 2, duplicates: [] },
        ],
      });
      expect(locator.duplicates).toEqual([
        { key: 'a', line: 1, firstLine: 1, where: 'defaults' },
        { key: 'rows', line: 8, firstLine: 2, where: 'top' },
      ]);
    }
  });

  it('in a job file\'s steps: in a step and in its defaults, with the step\'s place (elements that are not objects count)', () => {
    const job = [
      '{"steps": [',
      '  "not a step", {"operation": "a", "operation": "b",',
      '   "defaults": {"x": 1, "inner": {"y": 1, "y": 2},',
      '     "x": 2}},',
      '  {"defaults": {"z": [1, {"z": 0}], "z": 3}}',
      '], "defaults": {"w": 1, "w": 2}}',
    ].join('\n');
    for (const size of [1, 3, job.length]) {
      const locator = new JsonRowLocator();
      for (let i = 0; i < job.length; i += size) locator.feed(job.slice(i, i + size));
      expect({ size, twice: locator.duplicates }).toEqual({
        size,
        twice: [
          { key: 'operation', line: 2, firstLine: 2, where: 'step', step: 1 },
          { key: 'x', line: 4, firstLine: 3, where: 'step-defaults', step: 1 },
          { key: 'z', line: 5, firstLine: 5, where: 'step-defaults', step: 2 },
          { key: 'w', line: 6, firstLine: 6, where: 'defaults' },
        ],
      });
    }
  });
});
