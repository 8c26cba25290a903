/**
 * The userIds in an answer to `GET /users?serviceProviderId=&groupId=`: a list of user objects (odins_spear's
 * `get.users`), or an object holding that list under `users`. Returns undefined when the answer is neither.
 */
export function parseUserList(body: unknown): string[] | undefined {
  const list = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && Array.isArray((body as { users?: unknown }).users)
      ? ((body as { users: unknown[] }).users)
      : undefined;
  if (!list) return undefined;
  const ids: string[] = [];
  for (const item of list) {
    const id = typeof item === 'object' && item !== null ? (item as { userId?: unknown }).userId : undefined;
    if (typeof id !== 'string' || id === '') return undefined;
    ids.push(id);
  }
  return ids;
}
