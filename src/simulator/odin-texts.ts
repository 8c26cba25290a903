/**
 * The `details` texts of the simulator's refusals that Odin's documentation does not show: every one is
 * UNVERIFIED (no documented sample of them), and this is the one place each is written. The tool recognises a
 * "service not assigned" answer by its words (src/client/classify-failure.ts); the others it reports as they come.
 */

/** The 400 a user without the service gets from the service's settings endpoint, for GET and PUT alike. */
export function serviceNotAssigned(service: string, userId: string): string {
  return `Service not assigned: ${service} is not assigned to user ${userId}`;
}

/** `PUT /users/services` naming a service or service pack the system does not have. */
export function unknownService(name: string, pack: boolean): string {
  return `${pack ? 'Service pack' : 'Service'} not found: ${name}`;
}

/** `PUT /users/services` assigning (or unassigning) a service the user's group is not authorised for. */
export function serviceNotAuthorized(name: string, group: string): string {
  return `Service not authorized: ${name} is not authorized for group ${group}`;
}

/** `PUT /users/services` assigning a service whose group quantity is used up. */
export function serviceLimitReached(name: string, group: string, quantity: number): string {
  return `Service limit reached: ${name} is limited to ${quantity} users in group ${group}, all assigned`;
}

/** A bulk read refused to this login (`bulk: 'forbidden'`, `--bulk forbidden`). */
export function bulkReadRefused(path: string): string {
  return `Access denied: ${path}/bulk is not permitted for this login`;
}
