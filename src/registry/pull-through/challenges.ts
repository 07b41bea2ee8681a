/** One challenge of a `WWW-Authenticate` header: the scheme (lower case) and its parameters. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * The challenges of a `WWW-Authenticate` header (several headers arrive joined by commas):
 * `Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`. Quoted values may hold commas and
 * escaped quotes; parameter names are lower-cased.
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  // A scheme, then either name=value parameters or nothing; the next scheme starts after a comma.
  const token = /\s*,?\s*([A-Za-z][\w.+-]*)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*))?/gy;
  let current: AuthChallenge | undefined;
  for (let m = token.exec(header); m && m[0] !== ''; m = token.exec(header)) {
    const [, name, raw] = m as unknown as [string, string, string | undefined];
    if (raw === undefined) {
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
      // A scheme directly followed by its first parameter: `Bearer realm="x"`.
      const first = /^\s+([\w.+-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)/.exec(header.slice(token.lastIndex));
      if (first) {
        current.params[first[1]!.toLowerCase()] = unquote(first[2]!);
        token.lastIndex += first[0].length;
      }
    } else if (current) {
      current.params[name.toLowerCase()] = unquote(raw);
    }
  }
  return challenges;
}

function unquote(value: string): string {
  return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
