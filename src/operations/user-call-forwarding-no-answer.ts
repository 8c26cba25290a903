import { bool, int, phoneNumber } from './field-specs.js';
import type { OperationDef } from './types.js';

// ../shared/odin-api.md §3 row 5: PUT /users/call-forwarding-no-answer {userId, isActive, forwardToPhoneNumber,
// numberOfRings}. OCI-P CallForwardingNoAnswerNumberOfRings lists 0 and 2–20: 1 ring is not a value BroadWorks takes
// (the web UI's 0–20 is wrong about it).
export const userCallForwardingNoAnswer: OperationDef = {
  name: 'user-call-forwarding-no-answer',
  description: "A user's Call Forwarding No Answer: on/off, the number, rings before forwarding (PUT /users/call-forwarding-no-answer).",
  path: '/users/call-forwarding-no-answer',
  bulkRead: '/users/call-forwarding-no-answer/bulk',
  keyFields: ['userId'],
  service: 'Call Forwarding No Answer',
  schema: 'UserCallForwardingNoAnswerModifyRequest',
  fields: {
    isActive: bool(),
    forwardToPhoneNumber: phoneNumber(['isActive']),
    numberOfRings: int(0, 20, ['isActive'], [1]),
  },
  example: { isActive: false, forwardToPhoneNumber: null, numberOfRings: 3 },
};
