import { describe, expect, it } from '@jest/globals';
import { jsonRowLines } from '../../src/manifest/json-row-lines.js';

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
