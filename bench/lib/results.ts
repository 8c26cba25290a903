import { cpus, totalmem } from 'node:os';
import type { ResultRow } from './context.js';

/** The one results table, with the machine it ran on, as Markdown. */
export function resultsMarkdown(rows: readonly ResultRow[], meta: { quick: boolean; reps: number; minutes: number; only?: string[] }): string {
  const cpu = cpus();
  const machine = `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}, Node ${process.version}`;
  const mode = meta.quick ? '`--quick` (1 run per figure, smaller sizes: for development, not for the record)' : `full: each figure is the median of ${meta.reps} runs`;
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '# Benchmark results',
    '',
    `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} in ${meta.minutes.toFixed(1)} min. Machine: ${machine}.`,
    `Mode: ${mode}${meta.only ? `; only ${meta.only.join(', ')}` : ''}. Every run is the built binary (\`node dist/odin-bulk.mjs run …\`) against the`,
    'simulator in a separate process on 127.0.0.1; the two share the 2 cores, as a client and a server would not.',
    '',
    '| figure | setup | measured | target | result |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${esc(r.figure)} | ${esc(r.setup)} | ${esc(r.measured)} | ${esc(r.target)} | ${r.verdict === 'info' ? '—' : `**${r.verdict}**`} |`),
    '',
    'How to read it: README.md, "The benchmark" (under "Performance and scale").',
    '',
  ].join('\n');
}
