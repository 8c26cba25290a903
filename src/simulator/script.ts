import type { ScriptOptions, ScriptStep } from './types.js';

type Queued = { key: string | undefined; step: ScriptStep };

/** Forced answers for the next matching requests, used once each, first in first out. */
export class ScriptQueue {
  private readonly queues = new Map<string, Queued[]>();
  private size = 0;

  add(method: string, path: string, steps: readonly ScriptStep[], opts: ScriptOptions = {}): void {
    for (const step of steps) checkStep(step);
    const route = routeName(method, normalizePath(path));
    const queue = this.queues.get(route) ?? [];
    for (const step of steps) queue.push({ key: opts.key, step });
    this.queues.set(route, queue);
    this.size += steps.length;
  }

  /** The first step queued for this route whose key filter matches, removed from the queue. */
  take(method: string, path: string, key: string | undefined): ScriptStep | undefined {
    if (this.size === 0) return undefined;
    const queue = this.queues.get(routeName(method, path));
    if (!queue) return undefined;
    const at = queue.findIndex((q) => q.key === undefined || q.key === key);
    if (at < 0) return undefined;
    const [taken] = queue.splice(at, 1);
    this.size--;
    return taken!.step;
  }

  pending(): number {
    return this.size;
  }

  clear(): void {
    this.queues.clear();
    this.size = 0;
  }
}

export function routeName(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Accepts `/users/x`, `/api/v2/users/x` or `users/x?userId=…`, returns `/users/x`. */
function normalizePath(path: string): string {
  let p = path.split('?')[0]!;
  if (!p.startsWith('/')) p = `/${p}`;
  if (p === '/api/v2' || p.startsWith('/api/v2/')) p = p.slice('/api/v2'.length) || '/';
  return p;
}

function checkStep(step: ScriptStep): void {
  const status = typeof step === 'number' ? step : step.status;
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 599)) {
    throw new TypeError(`Expected a script step status from 100 to 599, got \`${String(status)}\``);
  }
}
