/**
 * The one test kit: spawning the built binary, temp folders that clean up, a simulator per describe block, report
 * readers, in-process runs, manifests, raw HTTP and TLS helpers. Tests import from here only.
 * Importing it is cheap: the library, the simulator and csv-parse load when a helper first needs them (lazy.ts).
 */
export * from './cli.js';
export * from './http.js';
export * from './in-process.js';
export * from './logger.js';
export * from './manifests.js';
export * from './paths.js';
export * from './reports.js';
export * from './runs.js';
export * from './simulator.js';
export * from './temp.js';
export * from './tls.js';
export * from './wait.js';
export * from './simulate-command.js';
export * from './samples.js';
