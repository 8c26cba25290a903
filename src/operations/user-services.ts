import type { FieldSpec, OperationDef } from './types.js';

const names = (list: 'services' | 'packs', assigned: boolean, description: string): FieldSpec => ({ kind: 'names', list, assigned, description });

// ../shared/odin-api.md §3 row 8 and §8: PUT /users/services {userId, userServices: [{serviceName, assigned}],
// servicePackServices: [...]}; GET /users/services?userId= lists every service and pack the user could have, with
// `assigned` (odin-samples/get-user-services.json). Licences: GET /groups/services (get-group-services.json).
export const userServices: OperationDef = {
  name: 'user-services',
  description: "A user's services and service packs: assign or unassign them by name (PUT /users/services), after a licence check of each group.",
  path: '/users/services',
  keyFields: ['userId'],
  assignment: true,
  schema: 'UserServiceAssignListRequest / UserServiceUnassignListRequest',
  fields: {
    assign: names('services', true, 'services to assign'),
    unassign: names('services', false, 'services to unassign (their settings are removed on the server)'),
    assignPacks: names('packs', true, 'service packs to assign'),
    unassignPacks: names('packs', false, 'service packs to unassign'),
  },
  example: { assign: 'Call Waiting;Voice Messaging User', unassign: 'Call Notify', assignPacks: 'SIM-VM', unassignPacks: 'SIM-REC' },
};
