import { bool, phoneNumber } from './field-specs.js';
import type { OperationDef } from './types.js';

// ../shared/odin-api.md §3 row 4: PUT /users/call-forwarding-busy {userId, isActive, forwardToPhoneNumber}.
export const userCallForwardingBusy: OperationDef = {
  name: 'user-call-forwarding-busy',
  description: "A user's Call Forwarding Busy: on/off and the number calls go to (PUT /users/call-forwarding-busy).",
  path: '/users/call-forwarding-busy',
  bulkRead: '/users/call-forwarding-busy/bulk',
  keyFields: ['userId'],
  service: 'Call Forwarding Busy',
  schema: 'UserCallForwardingBusyModifyRequest',
  fields: {
    isActive: bool(),
    forwardToPhoneNumber: phoneNumber(['isActive']),
  },
  example: { isActive: false, forwardToPhoneNumber: null },
};
