import type { RequestFailure } from './describe-error.js';

/** What a request was about, to tell a failure about the target from one about the server. */
export type RequestContext = {
  /** The target's key values (the userId, or the provider and group ids). */
  targets: readonly string[];
  /** The BroadWorks service the endpoint belongs to, e.g. `Call Recording`; undefined when every user has it. */
  service?: string;
};

/**
 * Words of a 404 that is about a target that does not exist rather than about the path. Odin's exact texts are
 * not documented (unverified); a 404 that names the target's id counts as well.
 */
const TARGET_NOT_FOUND = /\b(user|group|service ?provider|enterprise)s?\b.{0,80}\bnot (found|exist)|\b(no such|unknown) (user|group)\b/i;

/**
 * Words of an answer that says the user lacks the service. Odin's exact text is NOT verified: it is taken to be
 * a 4xx whose message names the service (e.g. `Call Recording`) and says it is not assigned or not authorized.
 * The simulator's text is `serviceNotAssigned` in src/simulator/odin-texts.ts. See docs/odin-compatibility.md.
 */
const NOT_ASSIGNED_WORDS = /\bnot (been )?(assigned|authori[sz]ed)\b|\bunassigned\b|\bnot subscribed\b/i;

/** The advice a missing endpoint's message ends with (doctor leaves it out of its own report). */
export const DOCTOR_HINT = 'run `odin-bulk doctor` to see which endpoints this server answers';

/**
 * Reads a failed request as Odin means it: a 404 that names no target (or an HTML page, or 405/501) means the
 * endpoint itself is missing, which no later row can survive (ENDPOINT_MISSING); a 4xx that says the user lacks
 * the service is about that user only (NOT_ASSIGNED). Anything else is returned as it was. Pure.
 */
export function classifyFailure(failure: RequestFailure, ctx: RequestContext): RequestFailure {
  const { status, said = '' } = failure;
  if (status === undefined) return failure;
  if (status === 405 || status === 501 || (status === 404 && (failure.html || !namesTarget(said, ctx.targets)))) {
    return {
      ...failure,
      code: 'ENDPOINT_MISSING',
      message: `no such endpoint on this server (${failure.message}); ${DOCTOR_HINT}`,
    };
  }
  if (ctx.service && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 404 && status !== 429) {
    if (said.toLowerCase().includes(ctx.service.toLowerCase()) && NOT_ASSIGNED_WORDS.test(said)) {
      return { ...failure, code: 'NOT_ASSIGNED', message: `the user does not have the ${ctx.service} service (${failure.message}); nothing was written` };
    }
  }
  return failure;
}

/** A 2xx answer that is an HTML page: the path is served by something that is not the API (a web UI, a proxy). */
export function htmlAnswerFailure(status: number, said: string): RequestFailure {
  return {
    code: 'ENDPOINT_MISSING',
    status,
    said,
    html: true,
    message: `no such endpoint on this server: HTTP ${status} with an HTML page (${said}) instead of the API's JSON; ${DOCTOR_HINT}`,
  };
}

function namesTarget(said: string, targets: readonly string[]): boolean {
  const text = said.toLowerCase();
  return TARGET_NOT_FOUND.test(said) || targets.some((t) => t !== '' && text.includes(t.toLowerCase()));
}
