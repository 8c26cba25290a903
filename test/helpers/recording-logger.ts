import type { Logger } from '../../src/logging/create-logger.js';

export type RecordingLogger = Logger & { lines: { level: string; message: string }[] };

/** A Logger that keeps every line, so a test can assert on what the operator was told. */
export function createRecordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => ((message: string) => void lines.push({ level, message })) as unknown as Logger['info'];
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
