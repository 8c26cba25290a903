import { bool } from './field-specs.js';
import type { OperationDef } from './types.js';

// ../shared/odin-api.md §3 row 2: PUT /users/do-not-disturb {userId, isActive, ringSplash}; GET ?userId=.
export const userDoNotDisturb: OperationDef = {
  name: 'user-do-not-disturb',
  description: "A user's Do Not Disturb: on/off and the ring splash (PUT /users/do-not-disturb).",
  path: '/users/do-not-disturb',
  keyFields: ['userId'],
  service: 'Do Not Disturb',
  schema: 'UserDoNotDisturbModifyRequest',
  fields: {
    isActive: bool(),
    // A ring splash is played when a call is blocked by DND, so it matters only while DND is on.
    ringSplash: bool(['isActive']),
  },
  example: { isActive: false, ringSplash: false },
};
