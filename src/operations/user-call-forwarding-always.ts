import { bool, phoneNumber } from './field-specs.js';
import type { OperationDef } from './types.js';

// ../shared/odin-api.md §3 row 3: PUT /users/call-forwarding-always {userId, isActive, forwardToPhoneNumber, isRingSplashActive}.
export const userCallForwardingAlways: OperationDef = {
  name: 'user-call-forwarding-always',
  description: "A user's Call Forwarding Always: on/off, the number calls go to, ring splash (PUT /users/call-forwarding-always).",
  path: '/users/call-forwarding-always',
  bulkRead: '/users/call-forwarding-always/bulk',
  keyFields: ['userId'],
  service: 'Call Forwarding Always',
  schema: 'UserCallForwardingAlwaysModifyRequest',
  fields: {
    isActive: bool(),
    forwardToPhoneNumber: phoneNumber(['isActive']),
    isRingSplashActive: bool(['isActive']),
  },
  example: { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false },
};
