import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, jest } from '@jest/globals';
import { installInterruptHandlers } from '../../../src/commands/interrupt-signals.js';
import { EXIT } from '../../../src/model/errors.js';
import { StopControl } from '../../../src/engine/stop-control.js';

function setup(graceMs: number) {
  const target = new EventEmitter();
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  const exits: number[] = [];
  const stop = new StopControl();
  const uninstall = installInterruptHandlers({ stop, stderr, resumeCommand: 'odin-bulk run j.json --resume reports/j', graceMs, target, exit: (c) => void exits.push(c) });
  return { target, stop, exits, uninstall, text: () => text };
}

describe('installInterruptHandlers', () => {
  it('first signal stops starting rows; after the grace period the requests in flight are aborted', async () => {
    const t = setup(20);
    t.target.emit('SIGTERM', 'SIGTERM');
    expect(t.stop.requested).toBe(true);
    expect(t.stop.reason).toBe('interrupted by SIGTERM');
    expect(t.stop.aborted).toBe(false);
    expect(t.text()).toContain('SIGTERM: stopping. No new rows start');
    await new Promise((resolve) => t.stop.signal.addEventListener('abort', resolve));
    expect(t.stop.aborted).toBe(true);
    expect(t.exits).toEqual([]);
    t.uninstall();
  });

  it('second signal exits 130 at once and prints the resume command', () => {
    const t = setup(60_000);
    t.target.emit('SIGINT', 'SIGINT');
    t.target.emit('SIGINT', 'SIGINT');
    expect(t.exits).toEqual([EXIT.interrupted]);
    expect(EXIT.interrupted).toBe(130);
    expect(t.text()).toContain('SIGINT again: quitting now');
    expect(t.text()).toContain('\n  odin-bulk run j.json --resume reports/j\n');
    t.uninstall();
  });

  it('uninstalling removes the handlers and cancels the grace timer', () => {
    jest.useFakeTimers();
    try {
      const t = setup(10);
      t.target.emit('SIGINT', 'SIGINT');
      t.uninstall();
      expect(t.target.listenerCount('SIGINT')).toBe(0);
      expect(t.target.listenerCount('SIGTERM')).toBe(0);
      jest.advanceTimersByTime(1000);
      expect(t.stop.aborted).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});
