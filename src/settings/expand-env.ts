import type { Problem } from '../manifest/types.js';

/** The environment a job file is expanded against; the CLI passes process.env, tests their own. */
export type Env = Readonly<Record<string, string | undefined>>;

// `$${` is an escaped literal `${`; `${NAME}` is a variable; any other `${` is malformed.
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

/**
 * Replaces `${NAME}` in every string value of a parsed job file (nested objects and lists included; keys are
 * left alone) with the variable's value from `env`. `$${NAME}` stays as the literal text `${NAME}`.
 * An unset or empty variable, or a `${` that is not `${NAME}`, is a problem naming the variable and the key. Pure.
 */
export function expandEnv(value: unknown, env: Env, file: string): { value: unknown; problems: Problem[] } {
  const problems: Problem[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') return expandString(v, env, (message) => problems.push({ file, field: path || undefined, message }));
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}[${i}]`));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, path ? `${path}.${k}` : k)]));
    }
    return v;
  };
  return { value: walk(value, ''), problems };
}

function expandString(text: string, env: Env, problem: (message: string) => void): string {
  return text.replace(TOKEN, (match: string, name: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      problem(`"\${" must be followed by a variable name and "}", as in \${ODIN_ENV}; write $\${ for a literal "\${"`);
      return match;
    }
    const found = env[name];
    if (found === undefined || found === '') {
      problem(`\${${name}} is ${found === undefined ? 'not set' : 'empty'} in the environment: set ${name}, or write $\${${name}} for the literal text`);
      return '';
    }
    return found;
  });
}
