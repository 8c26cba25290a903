/*
 * The kit loads the library, the simulator and csv-parse when a helper first needs them, not when a test file imports
 * the kit: jest evaluates every module afresh for each test file (ESM, one module registry per file), and most files
 * that import the kit use a few of its helpers (a CLI test only spawns the binary). Loading the whole library for
 * each of them cost about 0.25 s of CPU per file. Keep the kit's imports of src/ `import type` unless the value is
 * small and needed synchronously (OP, testJobOptions), and load the rest through `lazy`.
 */

/** Every load of this test file so far: a load starts when the one before it has finished. */
let chain: Promise<unknown> = Promise.resolve();

/**
 * A loader that runs `load` (a dynamic import) on its first call and returns that same promise on every call.
 * Loads run one at a time: jest's ESM linker fails ("request for './x.js' is not in cache") when two dynamic imports
 * link modules they share at the same moment.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    if (!loaded) {
      loaded = chain.then(load, load);
      chain = loaded.catch(() => undefined);
    }
    return loaded;
  };
}
