/**
 * The simulator's catalogue of BroadWorks user services and service packs: what `GET /users/services` lists, what
 * `PUT /users/services` takes, and what `GET /groups/services` counts. Names as Odin's documented answers spell them
 * (odin-samples/get-user-services*.json, get-group-services.json, put-user-service-settings.json). Like
 * broadworks-rules.ts, written apart from the tool: nothing here comes from src/operations/.
 */

/** User services every simulated group can authorise. The endpoints' own services are among them. */
export const USER_SERVICES: readonly string[] = [
  'Anonymous Call Rejection',
  'Authentication',
  'Basic Call Logs',
  'Call Forwarding Always',
  'Call Forwarding Busy',
  'Call Forwarding No Answer',
  'Call Forwarding Not Reachable',
  'Call Notify',
  'Call Recording',
  'Call Waiting',
  'Calling Line ID Delivery Blocking',
  'CommPilot Express',
  'Do Not Disturb',
  'External Calling Line ID Delivery',
  'Internal Calling Line ID Delivery',
  'Voice Messaging User',
];

export type ServicePack = { name: string; description: string; services: readonly string[] };

/**
 * Service packs: a name standing for several services. A user holding a pack has its services (their settings
 * answer) even when they are not assigned one by one. No seeded user holds a pack at first.
 */
export const SERVICE_PACKS: readonly ServicePack[] = [
  { name: 'SIM-FWD', description: 'Call forwarding (always, busy, no answer, not reachable)', services: ['Call Forwarding Always', 'Call Forwarding Busy', 'Call Forwarding No Answer', 'Call Forwarding Not Reachable'] },
  { name: 'SIM-VM', description: 'Voice messaging', services: ['Voice Messaging User'] },
  { name: 'SIM-REC', description: 'Call recording', services: ['Call Recording'] },
];
