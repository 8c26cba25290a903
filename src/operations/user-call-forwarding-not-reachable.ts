import { bool, phoneNumber } from './field-specs.js';
import type { OperationDef } from './types.js';

// ../shared/odin-api.md §3 row 6: PUT /users/call-forwarding-not-reachable {userId, isActive, forwardToPhoneNumber}.
export const userCallForwardingNotReachable: OperationDef = {
  name: 'user-call-forwarding-not-reachable',
  description: "A user's Call Forwarding Not Reachable: on/off and the number calls go to (PUT /users/call-forwarding-not-reachable).",
  path: '/users/call-forwarding-not-reachable',
  bulkRead: '/users/call-forwarding-not-reachable/bulk',
  keyFields: ['userId'],
  service: 'Call Forwarding Not Reachable',
  schema: 'UserCallForwardingNotReachableModifyRequest',
  fields: {
    isActive: bool(),
    forwardToPhoneNumber: phoneNumber(['isActive']),
  },
  example: { isActive: false, forwardToPhoneNumber: null },
};
