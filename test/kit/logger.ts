import type { Logger } from '../../src/logging/logger.js';

export type RecordingLogger = Logger & { lines: { level: string; message: string }[] };

/** A Logger that keeps every line, so a test can assert on what the operator was told. */
export function createRecordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/**
 * The most events any half-open window [t, t + windowMs) holds, over every window that starts at an event
 * (the busiest window always starts at one). `times` need not be sorted.
 */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}
