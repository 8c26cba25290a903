import type { FailureBudget } from './max-failures.js';
import type { WavePlan } from '../model/waves.js';
import { resolveWavePlan } from './wave-plan.js';
import { problemList, refuseEmptyFlags, resolveSettings, type RunFlags } from './resolve-job.js';

/** `odin-bulk apply`'s settings, checked; those left undefined come from the plan run. */
export type ApplyOptions = {
  /** A plan folder (from `odin-bulk plan --out DIR`) or its plan.json. */
  plan: string;
  /** Report folder; undefined = <plan folder>/apply-<UTC timestamp>/. */
  outDir?: string;
  /** Write planned rows even when a planned field changed since the plan. @default false */
  force: boolean;
  concurrency?: number;
  rate?: number;
  retries?: number;
  timeoutMs?: number;
  /** Failed rows tolerated before the apply stops. @default 10 % once 20 rows are finished */
  maxFailures: FailureBudget;
  /** user-services: a group that would run out of licences gets its rows written up to the limit, the rest skipped. */
  allowPartial?: boolean;
  /** `--canary` / `--waves`: write in waves, holding the rest back until each is done and checked. */
  waves?: WavePlan;
};

/** The plan and the flags of `apply` → ApplyOptions; a bad value is an input error (JobError EINPUT, exit 2) naming the flag. */
export function resolveApply(plan: string | undefined, flags: RunFlags): ApplyOptions {
  const check = problemList();
  // The plan's own settings stand where no flag is given: no table defaults here, except the failure budget.
  const s = resolveSettings(['concurrency', 'rate', 'retries', 'timeout'], flags, { flag: check.flag, command: 'apply', defaults: false });
  const { maxFailures } = resolveSettings(['maxFailures'], flags, { flag: check.flag, command: 'apply' });
  refuseEmptyFlags(flags, check.flag, ['out']);
  if (typeof plan !== 'string' || plan.trim() === '') check.flag('plan', 'name the plan folder (from odin-bulk plan --out DIR) or its plan.json');
  const waves = resolveWavePlan(flags, check.flag, { apply: true });
  check.throwIfAny();
  return {
    ...(waves ? { waves } : {}),
    plan: plan!,
    outDir: flags.out,
    force: flags.force ?? false,
    concurrency: s.concurrency as number | undefined,
    rate: s.rate,
    retries: s.retries,
    timeoutMs: s.timeout,
    maxFailures: maxFailures!,
    ...(flags.allowPartial ? { allowPartial: true } : {}),
  };
}
