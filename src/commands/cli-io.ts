/** What a command may touch of the outside world; the CLI passes the real ones, tests their own. */
export type CliIo = {
  /** Read only by `--confirm`, on a terminal. */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  now: () => Date;
};

/** The process's own streams; stdin only when asked for (making process.stdin costs 10 ms at every start). */
export const processIo = (): CliIo => ({
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: () => new Date(),
});

export function println(stream: NodeJS.WritableStream, lines: string | string[]): void {
  stream.write((Array.isArray(lines) ? lines : [lines]).join('\n') + '\n');
}
