import { describe, expect, it } from '@jest/globals';
import { redactingLogger } from '../../../src/api/library-context.js';
import { Secrets } from '../../../src/logging/secrets.js';

describe("the library's logger wrapper", () => {
  it('removes every secret the run knows (a token learnt after the start too) from messages and meta, keeping `this`', () => {
    const calls: unknown[][] = [];
    // A logger whose methods need `this`, as winston's do.
    const target = {
      calls,
      warn(this: { calls: unknown[][] }, ...args: unknown[]) {
        this.calls.push(['warn', ...args]);
      },
      info(this: { calls: unknown[][] }, ...args: unknown[]) {
        this.calls.push(['info', ...args]);
      },
      debug() {},
      error() {},
    };
    const secrets = new Secrets();
    secrets.add('pass-word-1');
    const logger = redactingLogger(target as never, secrets);
    logger.warn('login as admin with pass-word-1 failed', { detail: 'pass-word-1', line: 3 });
    secrets.add('eyJ-token-abc');
    logger.info('token eyJ-token-abc refreshed');
    expect(calls).toEqual([
      ['warn', 'login as admin with *** failed', { detail: '***', line: 3 }],
      ['info', 'token *** refreshed'],
    ]);
  });

  it('without a logger, lines go nowhere', () => {
    const logger = redactingLogger(undefined, new Secrets());
    expect(() => logger.error('x')).not.toThrow();
  });
});
