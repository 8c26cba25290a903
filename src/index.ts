/**
 * odin-bulk as a library: the functions behind the CLI's commands, with plain options in and the results the CLI
 * reports out. Nothing here prints (pass a `logger` to see the console's lines) and nothing calls process.exit.
 * Documented in docs/library.md.
 */
export { validateJob, type ValidateJobOptions, type ValidateResult } from './api/validate-job.js';
export { planJob, runJob, type PlanJobOptions, type RunJobOptions, type RunResult } from './api/run-job.js';
export { applyPlan, type ApplyPlanOptions, type ApplyResult, type ApplySettings } from './api/apply-plan.js';
export { exportValues, type ExportResult, type ExportSettings, type ExportValuesOptions } from './api/export-values.js';
export type { JobSettings, PacingSettings, RunSettings, WaveSettings } from './api/job-settings.js';
export type { WaveRecord, WavesSummary, RevertedUser } from './model/waves.js';
export type { Connection, LibraryContext } from './api/library-context.js';
export { startSimulator, type Simulator, type SimulatorOptions, type FaultSettings } from './simulator/simulator.js';
export { EXIT, JobError, exitCodeFor, type ExitCode, type JobErrorCode } from './model/errors.js';
export type { Logger } from './logging/create-logger.js';
export type { JobSummary } from './model/summary.js';
export type { RowResult, RowStatus } from './model/row-result.js';
export type { RowErrorCode } from './model/row-result.js';
export type { Problem } from './manifest/types.js';
export { VERSION } from './version.js';
