import { describe, expect, it } from '@jest/globals';
import type { RowResult, RowStatus } from '../../../src/model/row-result.js';
import { StopControl } from '../../../src/engine/stop-control.js';
import { findOperation } from '../../../src/operations/registry.js';
import type { OperationDef } from '../../../src/operations/types.js';
import { streakLimit, SystemicFailureDetector } from '../../../src/engine/systemic-failure.js';

let line = 1;
function row(status: RowStatus, patch: Partial<RowResult> = {}): RowResult {
  const l = line++;
  return { line: l, key: { userId: `u${l}` }, id: `u${l}`, status, requested: {}, before: null, after: null, changed: [], requests: 3, warnings: [], ...patch };
}
const fail = (errorCode: RowResult['errorCode'], httpStatus?: number) => row('failed', { errorCode, httpStatus, error: 'x' });

function feed(limit: number, results: RowResult[], op?: OperationDef): { at?: number; reason?: string; exitCode?: number } {
  const stop = new StopControl();
  const detector = new SystemicFailureDetector(limit, stop, op);
  for (const [i, r] of results.entries()) {
    detector.onResult(r);
    if (stop.requested) return { at: i + 1, reason: stop.reason, exitCode: stop.exitCode };
  }
  return {};
}

describe('streakLimit', () => {
  it('is max(5, 2 × concurrency)', () => {
    expect([1, 2, 3, 4, 8, 32].map(streakLimit)).toEqual([5, 5, 6, 8, 16, 64]);
  });
});

describe('SystemicFailureDetector', () => {
  it('stops after `limit` consecutive server failures, 500 and 503 mixed', () => {
    const results = [row('updated'), fail('HTTP_5XX', 500), fail('HTTP_5XX', 503), fail('HTTP_5XX', 500), fail('HTTP_5XX', 503), fail('HTTP_5XX', 500), row('updated')];
    const { at, reason } = feed(5, results);
    expect(at).toBe(6);
    expect(reason).toBe(
      'systemic failure: the last 5 rows all failed (HTTP 500, HTTP 503): the server is down or failing ' +
        '(server errors, refused connections or timeouts); no row can succeed until that is fixed',
    );
  });

  it('timeouts and refused connections are the same kind of failure as 5xx', () => {
    expect(feed(5, [fail('TIMEOUT'), fail('NETWORK'), fail('HTTP_5XX', 502), fail('TIMEOUT'), fail('NETWORK')]).at).toBe(5);
  });

  it('one success (or unchanged row) breaks the streak', () => {
    const results = [...Array.from({ length: 4 }, () => fail('HTTP_5XX', 503)), row('unchanged'), ...Array.from({ length: 4 }, () => fail('HTTP_5XX', 503))];
    expect(feed(5, results).at).toBeUndefined();
  });

  it('row-specific failures (404, 400, verify) neither count nor keep a streak alive', () => {
    expect(feed(5, Array.from({ length: 20 }, () => fail('NOT_FOUND', 404))).at).toBeUndefined();
    expect(feed(5, Array.from({ length: 20 }, () => fail('HTTP_4XX', 400))).at).toBeUndefined();
    const broken = [fail('HTTP_5XX', 500), fail('HTTP_5XX', 500), fail('NOT_FOUND', 404), fail('HTTP_5XX', 500), fail('HTTP_5XX', 500), fail('HTTP_5XX', 500)];
    expect(feed(5, broken).at).toBeUndefined();
  });

  it('a different kind of failure starts a new streak', () => {
    const results = [fail('HTTP_5XX', 500), fail('HTTP_5XX', 500), fail('BAD_RESPONSE'), fail('BAD_RESPONSE'), fail('BAD_RESPONSE'), fail('BAD_RESPONSE'), fail('BAD_RESPONSE')];
    const { at, reason } = feed(5, results);
    expect(at).toBe(7);
    expect(reason).toContain('is not the Odin API');
  });

  it('HTTP 401 after re-login stops at once', () => {
    const { at, reason } = feed(8, [row('updated'), fail('AUTH', 401)]);
    expect(at).toBe(2);
    expect(reason).toMatch(/^systemic failure: line \d+ \(u\d+\) was refused with HTTP 401 even after logging in again/);
  });

  it('HTTP 403 may be one user out of reach: it stops only as a streak', () => {
    expect(feed(5, [fail('AUTH', 403), row('updated'), fail('AUTH', 403)]).at).toBeUndefined();
    expect(feed(5, Array.from({ length: 5 }, () => fail('AUTH', 403))).reason).toContain('not allowed');
  });

  it('a missing endpoint stops at the first such row, with exit 3 and the way to find out more', () => {
    const missing = row('failed', { errorCode: 'ENDPOINT_MISSING', httpStatus: 404, error: 'GET /users/call-recording: no such endpoint on this server (HTTP 404: No such resource)' });
    const { at, reason, exitCode } = feed(8, [row('updated'), missing], findOperation('user-call-recording'));
    expect(at).toBe(2);
    expect(exitCode).toBe(3);
    expect(reason).toMatch(/^the server does not have an endpoint this job needs: line \d+ \(u\d+\): GET \/users\/call-recording: no such endpoint/);
    expect(reason).toContain('odin-bulk doctor');
  });

  it('rows whose live answer lacks a field they set stop the run after a few, naming the field and the release', () => {
    const policy = findOperation('user-call-processing-policy')!;
    const lacking = () =>
      row('failed', { errorCode: 'FIELD_MISSING', requested: { allowUserSelectionOfExternalCLIDPolicy: true, useUserCLIDSetting: true }, before: { useUserCLIDSetting: false } });
    const { at, reason, exitCode } = feed(8, [lacking(), row('updated'), lacking(), lacking(), lacking()], policy);
    expect(at).toBe(4);
    expect(exitCode).toBe(4);
    expect(reason).toBe(
      "systemic failure: 3 rows set allowUserSelectionOfExternalCLIDPolicy, and the server's answer has no allowUserSelectionOfExternalCLIDPolicy " +
        '(added in BroadWorks R24: the server may run an older release); no row that sets it can be checked or written on this server. ' +
        'Leave that column out, or run `odin-bulk doctor` to see which fields the server returns',
    );
  });

  it('users without the service (NOT_ASSIGNED) never stop a run, and neither count toward nor break a streak', () => {
    expect(feed(5, Array.from({ length: 50 }, () => fail('NOT_ASSIGNED', 400))).at).toBeUndefined();
    const results = [fail('HTTP_5XX', 503), fail('HTTP_5XX', 503), fail('NOT_ASSIGNED', 400), fail('HTTP_5XX', 503), fail('HTTP_5XX', 503), fail('HTTP_5XX', 503)];
    expect(feed(5, results).at).toBe(6);
  });

  it('skipped and interrupted rows are ignored: they neither count nor break a streak', () => {
    const results = [fail('HTTP_5XX', 503), row('skipped'), fail('INTERRUPTED'), fail('HTTP_5XX', 503), fail('HTTP_5XX', 503), fail('HTTP_5XX', 503), fail('HTTP_5XX', 503)];
    expect(feed(5, results).at).toBe(7);
  });
});
