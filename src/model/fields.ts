/** A value a field can hold on the wire. */
export type FieldValue = string | number | boolean | null;
/** Field name → value, in wire types. */
export type Fields = Record<string, FieldValue>;
