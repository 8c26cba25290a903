import { bool, int, phoneNumber } from './field-specs.js';
import type { OperationDef } from './types.js';

// ../shared/odin-api.md §3 row 5: PUT /users/call-forwarding-no-answer {userId, isActive, forwardToPhoneNumber,
// numberOfRings}; the web UI allows 0–20 rings.
export const userCallForwardingNoAnswer: OperationDef = {
  name: 'user-call-forwarding-no-answer',
  description: "A user's Call Forwarding No Answer: on/off, the number, rings before forwarding (PUT /users/call-forwarding-no-answer).",
  path: '/users/call-forwarding-no-answer',
  keyFields: ['userId'],
  fields: {
    isActive: bool(),
    forwardToPhoneNumber: phoneNumber(['isActive']),
    numberOfRings: int(0, 20, ['isActive']),
  },
  example: { isActive: false, forwardToPhoneNumber: null, numberOfRings: 3 },
};
