import type { RowErrorCode } from '../model/row-result.js';

/** A request for one row that failed for good (after got's retries). */
export class RowFailure extends Error {
  constructor(readonly code: RowErrorCode, message: string, readonly status?: number) {
    super(message);
  }
}
