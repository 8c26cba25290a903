import { describe, expect, it } from '@jest/globals';
import { classifyFailure, htmlAnswerFailure } from '../../src/client/classify-failure.js';
import { describeRequestError } from '../../src/client/describe-error.js';

const httpError = (statusCode: number, body: string) => describeRequestError({ name: 'HTTPError', response: { statusCode, body } });
const json = (status: number, details: string) => JSON.stringify({ status, error: 'x', details });
const user = { targets: ['user00001@sim.odin.test'], service: 'Call Recording' };

describe('classifyFailure: about the row, or about the server', () => {
  it('a 404 that names the target (or says the user is not found) is about the row: NOT_FOUND', () => {
    expect(classifyFailure(httpError(404, json(404, 'User not found: user00001@sim.odin.test')), user).code).toBe('NOT_FOUND');
    expect(classifyFailure(httpError(404, json(404, '[Error 4008] User not found')), user).code).toBe('NOT_FOUND');
    expect(classifyFailure(httpError(404, json(404, 'Group not found: sim-sp/grp-09')), { targets: ['sim-sp', 'grp-09'] }).code).toBe('NOT_FOUND');
  });

  it('a 404 that names no target, an HTML 404 page, 405 and 501 say the endpoint is missing', () => {
    for (const failure of [
      httpError(404, json(404, 'No such resource')),
      httpError(404, '{"status":404,"error":"Not Found","path":"/api/v2/users/call-recording"}'),
      httpError(404, '<html><title>Not Found</title><body>/api/v2/users/call-recording?userId=user00001@sim.odin.test</body></html>'),
      httpError(405, json(405, 'Method not allowed')),
      httpError(501, 'Not Implemented'),
    ]) {
      const classified = classifyFailure(failure, user);
      expect(classified.code).toBe('ENDPOINT_MISSING');
      expect(classified.message).toMatch(/^no such endpoint on this server \(HTTP \d+: .*\); run `odin-bulk doctor`/);
    }
  });

  it('a 4xx that names the service and says it is not assigned is NOT_ASSIGNED', () => {
    const said = 'Service not assigned to user user00001@sim.odin.test: Call Recording';
    const classified = classifyFailure(httpError(400, json(400, said)), user);
    expect(classified).toMatchObject({ code: 'NOT_ASSIGNED', status: 400 });
    expect(classified.message).toBe(`the user does not have the Call Recording service (HTTP 400: ${said}); nothing was written`);
    expect(classifyFailure(httpError(400, json(400, 'call recording is not authorized for this user')), user).code).toBe('NOT_ASSIGNED');
  });

  it('other 4xx stay what they were: a bad value, another service, an operation without a service', () => {
    expect(classifyFailure(httpError(400, json(400, 'Invalid value for recordingOption')), user).code).toBe('HTTP_4XX');
    expect(classifyFailure(httpError(400, json(400, 'Service not assigned: Voice Messaging User')), user).code).toBe('HTTP_4XX');
    expect(classifyFailure(httpError(400, json(400, 'Service not assigned: Call Recording')), { targets: ['u'] }).code).toBe('HTTP_4XX');
    expect(classifyFailure(httpError(403, json(403, 'Call Recording not assigned')), user).code).toBe('AUTH');
    expect(classifyFailure(httpError(500, json(500, 'boom')), user).code).toBe('HTTP_5XX');
  });

  it('a 2xx HTML page is a missing endpoint too', () => {
    expect(htmlAnswerFailure(200, 'an HTML page: Sign in')).toMatchObject({ code: 'ENDPOINT_MISSING', status: 200, html: true });
  });
});
