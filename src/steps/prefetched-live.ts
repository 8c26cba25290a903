import { RowFailure } from '../client/row-failure.js';
import type { Fields } from '../model/fields.js';
import type { PrefetchedLive } from '../model/row-result.js';

/**
 * A target's live values as its group's read gave them (no request): its settings, or, for a user the read says
 * lacks the service, the failure its own GET would have given (NOT_ASSIGNED: the row is never written).
 */
export function prefetchedLive(pre: PrefetchedLive): Fields {
  if (pre.assigned) return { ...pre.fields };
  throw new RowFailure('NOT_ASSIGNED', `${pre.via}: the user does not have the ${pre.service} service (service.assigned is false); nothing was written`);
}
