/** A list as an async iterable: rows known before the run starts, given to what takes rows as they come. */
export async function* iterate<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
