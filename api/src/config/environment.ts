/**
 * Secrets in a merchant config come from the environment (CONTRACT §7): anywhere in the file, a string that is
 * exactly `"${NAME}"` is replaced by the environment variable NAME when the config is loaded. A variable that is
 * not set is a problem naming the place and the variable, never a value, so the start stops without logging a
 * secret.
 */

/** `${NAME}`: a POSIX-style variable name, the whole string. */
const REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export type Environment = Readonly<Record<string, string | undefined>>;

/** The place of a value as the validator names it: `carriers[0].settings.apiKey`. */
function placeOf(path: readonly (string | number)[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/**
 * `value` with every `"${NAME}"` string replaced from `env`, and a problem for each variable `env` lacks.
 * @example withEnvironment({ apiKey: '${KARRIO_API_KEY}' }, { KARRIO_API_KEY: 'k' }) // { value: { apiKey: 'k' }, problems: [] }
 */
export function withEnvironment(value: unknown, env: Environment): { value: unknown; problems: string[] } {
  const problems: string[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      const name = REFERENCE.exec(node)?.[1];
      if (name === undefined) return node;
      const found = env[name];
      if (found === undefined || found === '') {
        problems.push(`${placeOf(path)}: the environment variable ${name} is not set`);
        return node;
      }
      return found;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      // Built from entries: a key named __proto__ stays an own property, as JSON.parse made it.
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return node;
  };
  return { value: walk(value, []), problems };
}
