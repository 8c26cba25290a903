import { countOf } from '../util/plural.js';
import type { DoctorResult, OperationCheck } from './doctor-types.js';

const HEADERS = ['OPERATION', 'ENDPOINT', 'NOT RETURNED', 'UNKNOWN FIELDS', 'SERVICE', 'RESULT'] as const;

/** What `odin-bulk doctor` prints: who it logged in as, what it read, one table row per operation, the notes, the verdict. Pure. */
export function doctorText(result: DoctorResult, now: Date): string[] {
  const lines = [`Odin     ${result.baseUrl} (doctor only reads: nothing is written)`];
  if (!result.login.ok) {
    lines.push(`Login    FAILED: ${result.login.code}: ${result.login.error}`, ...result.login.details.map((d) => `           ${d}`));
    lines.push('', `Result: ${result.result} (exit ${result.exitCode})`);
    return lines;
  }
  lines.push(`Login    ${loginLine(result.login, now)}`);
  if (result.job) {
    const { file, operation, source, rows, fieldsUsed } = result.job;
    lines.push(`Job      ${file ? `${file}: ` : ''}${operation} on ${source}${rows !== undefined ? ` (${countOf(rows, 'row')})` : ''}; sets ${fieldsUsed.join(', ')}`);
  }
  if (result.user) lines.push(`User     ${result.user.id ?? `none: ${result.user.error?.message ?? '?'}`} (${result.user.from})`);
  if (result.group) lines.push(`Group    ${result.group.id} (${result.group.from})`);

  const rows = result.operations.map((c) => [c.operation, endpointCell(c), notReturnedCell(c), unknownCell(c), serviceCell(c), resultCell(c)]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  lines.push('', format(HEADERS), ...rows.map(format));

  const notes = result.operations.flatMap((c) => c.notes.map((n) => `  ${c.operation}: ${n}`));
  if (notes.length) lines.push('', 'Notes', ...notes);
  const absent = result.operations.filter((c) => c.absent.length).map((c) => `  ${c.operation}: ${c.absent.join(', ')}`);
  if (absent.length) lines.push('', 'Absent from the answers, read as null (unset on the target read, or unknown to this server: doctor cannot tell)', ...absent);
  lines.push('', `Result: ${result.result} (exit ${result.exitCode}; ${result.requests} requests, all reads)`);
  return lines;
}

function loginLine(login: Extract<DoctorResult['login'], { ok: true }>, now: Date): string {
  const who = `${login.loginType ? `${login.loginType} login` : 'logged in'}${login.userId ? ` ${login.userId}` : ''}`;
  const versions = [login.version && `version ${login.version}`, login.softwareVersion && `softwareVersion ${login.softwareVersion}`].filter(Boolean);
  const release = versions.length ? versions.join(', ') : 'release not given in the login answer';
  const expiry = login.tokenExpiresAt ? `token expires ${login.tokenExpiresAt} (${inWords(Date.parse(login.tokenExpiresAt) - now.getTime())})` : 'token expiry not known (not a JWT with exp)';
  return `${who}; ${release}; ${expiry}`;
}

function inWords(ms: number): string {
  if (ms <= 0) return 'already expired';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `in ${minutes} min`;
  return `in ${Math.round(minutes / 60)} h`;
}

function endpointCell(c: OperationCheck): string {
  const status = c.httpStatus !== undefined ? ` (${c.httpStatus})` : '';
  switch (c.endpoint) {
    case 'answers':
      return `answers${status}`;
    case 'not-assigned':
      return `answers: no service${status}`;
    case 'missing':
      return `MISSING${status}`;
    case 'unreadable':
      return `UNREADABLE${status}`;
    case 'target-not-found':
      return `${c.operation.startsWith('group-') ? 'group' : 'user'} not found${status}`;
    case 'not-checked':
      return 'not checked';
  }
}

function notReturnedCell(c: OperationCheck): string {
  if (c.endpoint !== 'answers') return '';
  if (c.notReturned.length === 0) return 'none';
  const releases = [...new Set(c.notReturned.map((n) => n.release).filter((r) => r !== undefined))];
  return `${c.notReturned.length}${releases.length ? ` (${releases.join(', ')})` : ''}`;
}

function unknownCell(c: OperationCheck): string {
  if (c.endpoint !== 'answers') return '';
  return c.unknownFields.length ? String(c.unknownFields.length) : 'none';
}

function serviceCell(c: OperationCheck): string {
  if (!c.service) return c.endpoint === 'not-checked' ? '' : 'not needed';
  if (c.service.assigned === null) return `${c.service.name}: unknown`;
  return `${c.service.name}: ${c.service.assigned ? 'assigned' : 'NOT ASSIGNED'}`;
}

function resultCell(c: OperationCheck): string {
  return { ok: 'ok', note: 'note', fail: 'FAIL', 'not-checked': 'not checked' }[c.verdict];
}
