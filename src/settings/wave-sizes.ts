import type { WaveSize } from '../model/waves.js';

const SIZE = /^(?:(\d+)|(\d+(?:\.\d+)?)\s*%)$/;

/** `10` → 10 rows; `5%` → 5 % of the run's rows. Returns a message when invalid. */
export function parseWaveSize(value: unknown): WaveSize | { problem: string } {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = SIZE.exec(text);
  if (m?.[1] !== undefined && Number.isSafeInteger(Number(m[1])) && Number(m[1]) >= 1) return { kind: 'count', rows: Number(m[1]) };
  if (m?.[2] !== undefined && Number(m[2]) > 0 && Number(m[2]) <= 100) return { kind: 'percent', percent: Number(m[2]) };
  return { problem: `must be a number of rows from 1 (e.g. 10) or a share of the rows above 0% and up to 100% (e.g. 1%), got ${JSON.stringify(value)}` };
}

/**
 * `1%,10%,100%` → three cumulative waves. Each is a number of rows or a share; each reaches further than the one
 * before (of one kind: 5,50,100% is fine, 10%,5% is not).
 */
export function parseWaveList(value: unknown): WaveSize[] | { problem: string } {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const parts = text.split(',').map((p) => p.trim());
  if (text.trim() === '' || parts.some((p) => p === '')) {
    return { problem: `must be a comma-separated list of cumulative waves, e.g. 1%,10%,100% or 20,200,100%, got ${JSON.stringify(value)}` };
  }
  const sizes: WaveSize[] = [];
  for (const part of parts) {
    const size = parseWaveSize(part);
    if ('problem' in size) return { problem: `wave ${sizes.length + 1} ${size.problem}` };
    const last = [...sizes].reverse().find((s) => s.kind === size.kind);
    if (last && (size.kind === 'count' ? size.rows <= (last as { rows: number }).rows : size.percent <= (last as { percent: number }).percent)) {
      return { problem: `waves are cumulative and must grow: ${part} after ${parts[sizes.indexOf(last)]} (e.g. 1%,10%,100%)` };
    }
    sizes.push(size);
  }
  return sizes;
}
