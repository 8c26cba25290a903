import type { OdinClient } from '../client/odin-client.js';
import type { Logger } from '../logging/logger.js';
import type { Secrets } from '../logging/secrets.js';
import { runExitCode } from '../model/errors.js';
import type { RowResult, RowTarget } from '../model/row-result.js';
import type { RunObserver } from '../model/run-observer.js';
import { countResult, emptyCounts, toSummary, type JobSummary, type StatusCounts } from '../model/summary.js';
import { isStepsOperation } from '../operations/steps-operation.js';
import type { OperationDef } from '../operations/types.js';
import type { EarlierWrite } from '../records/write-log.js';
import type { Connection } from '../settings/connection.js';
import type { FailureBudget } from '../settings/max-failures.js';
import { concurrencyPlan, type ConcurrencyPlan } from './concurrency-plan.js';
import { executeRows } from './execute-rows.js';
import { FailureBudgetObserver } from './failure-budget.js';
import { StopControl } from './stop-control.js';
import { WaveGate, type ConfirmWave } from './waves.js';
import type { WavePlan } from '../model/waves.js';
import { streakLimit, SystemicFailureDetector } from './systemic-failure.js';
import type { CheckedInput, OpenedRows } from '../sources/checked-input.js';
import type { Step, StepIo } from '../steps/step.js';

export type { CheckedInput, OpenedRows, Step, StepIo };

/*
 * The one row engine behind run, plan, apply and export. A command is a configuration of it (src/pipelines/): a
 * checked input that lists its rows (a manifest, a group, plan.json), a step done to each row (steps/), and an
 * output (a report folder, an export file). The engine owns the client, the stop switch, the failure budget, the
 * systemic-failure detector, the observers, the summary and the exit code.
 *
 * Built to grow: several steps per target (a job of `steps`) are one Step that runs its parts in order and stops at
 * the first that fails (steps/in-steps.ts). Waves (`--canary`, `--waves`) are a property of the engine: the rows are
 * pulled from the input only as fast as they are worked through (executeRows), and the wave gate (waves.ts) holds
 * the next row back until a wave is over and checked, which pauses the whole run.
 */

/** Where the results go: a report folder (run, plan, apply) or an export file. */
export type Output = {
  /** Before any request: the place is claimed (a report folder's lock, an export file that must not be there yet). */
  claim(input: CheckedInput<RowTarget>, started: Date): Promise<Claimed>;
};

export type Claimed = {
  /** Rows whose result stands from an earlier attempt (a resume): a run with none left need not log in. */
  readonly finishedEarlier: number;
  /** A result an earlier attempt left for this row that stands (a resume): the row is not run again. */
  kept?(row: RowTarget): RowResult | undefined;
  /** A PUT an earlier attempt sent for this row without finishing it (a resume). */
  earlierWrite?(row: RowTarget): EarlierWrite | undefined;
  /** Once the rows are listed: what follows each row, and where the run's lines go. */
  open(rows: OpenedRows<unknown>, input: CheckedInput<RowTarget>): Promise<Sinks>;
  /** After the last row and the observers' `finish`: whatever is built from the finished rows. */
  finish(summary: JobSummary, stop: StopControl): Promise<void>;
  /** Always, last: files closed, locks released, anything unfinished removed. */
  release(): Promise<void>;
};

export type Sinks = {
  /** The reports, the journal, the row log… in this order, before the engine's own observers. */
  observers: RunObserver[];
  /** The operator's log and the run's own (run.log), for the engine's lines. */
  log: Logger;
  /** The run's own log only (run.log), for its last line. */
  runLog: Logger;
  beforeWrite?: StepIo['beforeWrite'];
};

/** How a run talks to Odin and when it gives up. */
export type EngineSettings = {
  concurrency: number | 'auto';
  maxConcurrency: number;
  rate: number;
  retries: number;
  timeoutMs: number;
  maxFailures: FailureBudget;
  /** `--canary` / `--waves`: the rows are admitted wave by wave (engine/waves.ts). */
  waves?: WavePlan;
};

export type EngineSpec<T extends RowTarget> = {
  op: OperationDef;
  settings: EngineSettings;
  /** Checks the input offline; a problem is a JobError (exit 2) and nothing is sent. */
  check(): Promise<CheckedInput<T>>;
  output: Output;
  step: Step<T>;
  /** The rows the exit code counts as failed. @default isFailure (export leaves out users without the service) */
  failing?: (r: RowResult) => boolean;
  /** A plan with rows to change exits 5. */
  failOnChanges?: boolean;
};

export type EngineDeps = {
  /** The operator's log (the console). */
  logger: Logger;
  secrets: Secrets;
  now: () => Date;
  /** The run's switch: the caller's (signals, an AbortSignal) or a fresh one. */
  stop?: StopControl;
  /** Followers of the run besides the output's (e.g. the progress display); they see every row last. */
  observers?: RunObserver[];
  createClient?: (connection: Connection, settings: EngineSettings) => OdinClient;
  /** `--confirm`: asked before each next wave. */
  confirmWave?: ConfirmWave;
};

export type EngineOutcome = {
  summary: JobSummary;
  /** Why the run stopped early (interrupt, failure budget, systemic failure); undefined when it ran to the end. */
  stopReason?: string;
  /** Rows whose result was kept from an earlier attempt (--resume). */
  kept: number;
};

/** check the input → claim the output → log in → list the rows → work through them → summary → reports. */
export async function runRows<T extends RowTarget>(spec: EngineSpec<T>, connection: Connection, deps: EngineDeps): Promise<EngineOutcome> {
  const started = deps.now();
  const input = await spec.check();
  for (const line of input.warnings) deps.logger.warn(line);
  const claimed = await spec.output.claim(input as CheckedInput<RowTarget>, started);
  try {
    const session = await openSession(spec.settings, connection, deps);
    try {
      await logIn(session, input, claimed);
      const { kept } = claimed;
      const say = (line: string) => deps.logger.info(line);
      const rows = await input.open(session.client, kept ? { kept: (row) => kept(row) !== undefined, say } : { say });
      const sinks = await claimed.open(rows, input as CheckedInput<RowTarget>);
      for (const note of rows.notes ?? []) sinks.log[note.level](note.text);
      const waves = spec.settings.waves ? waveGate(spec, session, sinks, deps) : undefined;
      const observers: RunObserver[] = [...sinks.observers, ...engineObservers(spec, session), ...(waves ? [waves] : []), ...(deps.observers ?? [])];
      const counts = await workThrough(rows, spec, { session, claimed, sinks, observers, ...(waves ? { waves } : {}) });
      const summary = summarize(counts, spec, session, deps.now().getTime() - started.getTime(), waves);
      for (const o of observers) await o.finish?.(summary);
      await claimed.finish(summary, session.stop);
      sinks.runLog.info(session.stop.requested ? `job stopped early: ${session.stop.reason}` : 'job finished', { summary, concurrency: session.concurrency.describe() });
      return { summary, ...(session.stop.reason === undefined ? {} : { stopReason: session.stop.reason }), kept: counts.kept };
    } finally {
      session.client.close();
    }
  } finally {
    await claimed.release();
  }
}

/** What a run talks to Odin with: one client, the stop switch, and how many rows (or requests) may be in flight. */
type Session = { client: OdinClient; stop: StopControl; concurrency: ConcurrencyPlan };

/** The HTTP client (got) is loaded here, once the input is known to be good: a refused manifest never loads it. */
async function openSession(settings: EngineSettings, connection: Connection, deps: EngineDeps): Promise<Session> {
  const stop = deps.stop ?? new StopControl();
  const concurrency = concurrencyPlan(settings);
  const client = deps.createClient
    ? deps.createClient(connection, settings)
    : (await import('../client/odin-client.js')).createOdinClient(
        { ...connection, rate: settings.rate, retries: settings.retries, timeoutMs: settings.timeoutMs, signal: stop.signal },
        { secrets: deps.secrets, observer: concurrency.observer },
      );
  return { client, stop, concurrency };
}

/** Logs in, unless a resume found every row finished: then nothing is sent at all (a group is listed afresh, so it always logs in). */
async function logIn(session: Session, input: CheckedInput<RowTarget>, claimed: Claimed): Promise<void> {
  if (input.rowCount === undefined || input.rowCount > claimed.finishedEarlier) await session.client.start();
}

/** The engine's own followers: the failure budget and the systemic-failure detector, both able to stop the run. */
function engineObservers(spec: Pick<EngineSpec<RowTarget>, 'settings' | 'op'>, { stop, concurrency }: Session): RunObserver[] {
  return [new FailureBudgetObserver(spec.settings.maxFailures, stop), new SystemicFailureDetector(streakLimit(concurrency.limit.concurrency), stop, spec.op)];
}

/** The gate that admits rows wave by wave (`--canary`, `--waves`). */
function waveGate(spec: Pick<EngineSpec<RowTarget>, 'settings' | 'op'>, { client, stop, concurrency }: Session, sinks: Sinks, deps: EngineDeps): WaveGate {
  return new WaveGate(spec.settings.waves!, { op: spec.op, client, stop, limit: concurrency.limit, log: sinks.log, ...(deps.confirmWave ? { confirm: deps.confirmWave } : {}) });
}

type Work = { session: Session; claimed: Claimed; sinks: Sinks; observers: RunObserver[]; waves?: WaveGate };

/** Every row through the step, each result to every observer; rows an earlier attempt finished are replayed, not run. */
async function workThrough<T extends RowTarget>(
  opened: OpenedRows<T>,
  spec: EngineSpec<T>,
  { session, claimed, sinks, observers, waves }: Work,
): Promise<StatusCounts & { kept: number }> {
  const { client, stop, concurrency } = session;
  const counts = { ...emptyCounts(isStepsOperation(spec.op) ? spec.op.steps.map((s) => s.name) : undefined), kept: 0 };
  const failing = spec.failing;
  concurrency.onChange = (c, was) => sinks.log.debug(`concurrency ${was} → ${c.limit} (${c.reason}${c.detail ? `: ${c.detail}` : ''})`);
  for (const o of observers) o.start?.({ total: opened.count - claimed.finishedEarlier, stats: client.stats });
  let announced = false;
  const io: StepIo = { client, ...(sinks.beforeWrite ? { beforeWrite: sinks.beforeWrite } : {}) };
  const { kept, earlierWrite } = claimed;
  await executeRows(
    opened.rows,
    async (row) => cutShort(await spec.step(row, earlierWrite ? { ...io, earlier: earlierWrite(row) } : io), stop),
    {
      limit: concurrency.limit,
      stopRequested: () => stop.requested,
      stopReason: () => `not started: ${stop.reason}`,
      ...(kept ? { earlier: kept } : {}),
      ...(waves ? { admit: (row: T) => waves.admit(row) } : {}),
    },
    (result, index, wasKept) => {
      countResult(counts, result, failing);
      if (wasKept) {
        counts.kept++;
        for (const o of observers) o.replay?.(result, index);
        return;
      }
      for (const o of observers) o.onResult?.(result, index);
      if (stop.requested && !announced && result.status !== 'waiting') {
        announced = true;
        sinks.log.warn(`stopping: ${stop.reason}; rows in flight finish, rows not started are skipped`);
      }
    },
  );
  await waves?.lastWave();
  return counts;
}

/** A row that failed after the requests in flight were aborted had its retries cut short: not final, a resume redoes it. */
function cutShort(result: RowResult, stop: StopControl): RowResult {
  if (!stop.aborted || result.status !== 'failed' || result.errorCode === 'INTERRUPTED') return result;
  return { ...result, errorCode: 'INTERRUPTED', error: `interrupted while retrying (${result.error})` };
}

function summarize(counts: StatusCounts, spec: Pick<EngineSpec<RowTarget>, 'failOnChanges'>, { client, stop }: Session, durationMs: number, waves?: WaveGate): JobSummary {
  const exitCode = runExitCode(counts, { aborted: stop.requested, abortExitCode: stop.exitCode, failOnChanges: spec.failOnChanges ?? false });
  return toSummary(counts, { requests: client.stats.requests, retries: client.stats.retries, durationMs, exitCode, ...(waves ? { waves: waves.summary() } : {}) });
}
