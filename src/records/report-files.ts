/** The files of a report folder (the derived artefacts, plan.json and the lock are named where they are written). */
export const REPORT_FILES = {
  results: 'results.csv',
  resultsJson: 'results.json',
  summary: 'summary.json',
  rollback: 'rollback.csv',
  failed: 'failed.csv',
  journal: 'journal.ndjson',
  writes: 'writes.ndjson',
  log: 'run.log',
} as const;
