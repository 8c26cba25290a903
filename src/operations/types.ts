import type { Fields } from '../model/fields.js';

export type { FieldValue, Fields } from '../model/fields.js';

type FieldCommon = {
  /**
   * Flags that must all be true for this field to take effect (BroadWorks "useUser…Setting" gates,
   * then the field's own "useMax…" switch where it has one).
   */
  gates?: readonly string[];
  /** One line for `odin-bulk operations`. */
  description?: string;
  /**
   * The BroadWorks release that added the field, where known (e.g. `R24`): an older server leaves it out of its
   * answers and refuses a PUT naming it. Undefined = present in every release this tool was checked against.
   */
  release?: string;
};

export type FieldSpec =
  | (FieldCommon & { kind: 'boolean' })
  /** `exclude`: values inside min–max that are not allowed (e.g. 1 ring: BroadWorks takes 0 or 2–20). */
  | (FieldCommon & { kind: 'integer'; min: number; max: number; exclude?: readonly number[] })
  | (FieldCommon & { kind: 'enum'; values: readonly string[] })
  | (FieldCommon & { kind: 'string'; minLength: number; maxLength: number; nullable?: boolean; format?: TextFormat })
  /**
   * A list of names to put into one state: service names (`list: 'services'`) or service pack names (`'packs'`) to
   * assign (`assigned: true`) or unassign (`false`). In a CSV cell the names are separated by `;`; in JSON they are a
   * list. Held as one text, the names trimmed and joined by `;` (so every report, plan and journal keeps a single
   * value per field); before and after values are the names of the list that were assigned at that time.
   */
  | (FieldCommon & { kind: 'names'; list: NameList; assigned: boolean });

/** Which of a user's lists a `names` field names: `userServices` or `servicePackServices` of /users/services. */
export type NameList = 'services' | 'packs';

/**
 * Extra shape checks for text: `phone` = a phone number, extension or SIP URI (BroadWorks OutgoingDNorSIPURI,
 * visible ASCII without spaces); `dn` = a phone number or extension, no SIP URI (BroadWorks OutgoingDN, same
 * characters); `email` = name@domain without spaces. Checked by coerceValue.
 */
export type TextFormat = 'phone' | 'dn' | 'email';

/** One settable thing in Odin: where it is read and written, how a target is named, and its fields. */
export type OperationDef = {
  /** Follows the API path, e.g. `user-call-processing-policy`. */
  name: string;
  description: string;
  /** Path below the base URL, used for both GET (key in the query) and PUT (key in the body). */
  path: string;
  /** Columns that name one target: `userId`, or `serviceProviderId` + `groupId` (checked by key-fields.ts). */
  keyFields: readonly string[];
  /**
   * The BroadWorks service a user must have assigned for this endpoint to answer (e.g. `Call Forwarding Always`);
   * undefined when every user has it (the call processing policy). Also the key of the service's section in the
   * answers of `/users/services/settings`.
   */
  service?: string;
  /**
   * Odin's group-wide read of this endpoint, where it has one: `GET <bulkRead>?serviceProviderId=&groupId=` answers
   * every user of a group at once (`[{service: {assigned, serviceName}, user: {userId, …}, data: {…settings}}]`,
   * odin-samples/get-bulk-call-forwarding-*.json). A `--group` run, plan or export reads the group with it instead
   * of one GET per user (sources/group-bulk-read.ts). Undefined: read user by user.
   */
  bulkRead?: string;
  /**
   * True for an operation that assigns services (`PUT /users/services`) instead of setting values: its fields are
   * `names` lists, it is read with `GET /users/services`, and a run checks the groups' licences before it writes.
   */
  assignment?: true;
  /** The OCI-P request(s) whose schema the field rules were checked against, shown by `odin-bulk operations`. */
  schema: string;
  fields: Readonly<Record<string, FieldSpec>>;
  /** A complete, valid set of values: the simulator's starting point for seeded targets. */
  example: Readonly<Fields>;
};
