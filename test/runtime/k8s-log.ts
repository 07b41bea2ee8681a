import { readFileSync } from 'node:fs';

/** One line of conmon's k8s-file log: `<RFC 3339 nano time> <stdout|stderr> <F|P> <text>`. */
export interface LogLine {
  time: string;
  stream: 'stdout' | 'stderr';
  /** F: a full line; P: a partial line continued by the next. */
  tag: 'F' | 'P';
  text: string;
}

const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-]\d\d:\d\d) (stdout|stderr) (F|P) (.*)$/;

/** Parses a k8s-file log; a line that does not match fails the test that reads it. */
export function readK8sLog(path: string): LogLine[] {
  const text = readFileSync(path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const m = LINE.exec(l);
      if (!m) throw new Error(`not a k8s-file log line: ${JSON.stringify(l)}`);
      return { time: m[1]!, stream: m[2] as LogLine['stream'], tag: m[3] as LogLine['tag'], text: m[4]! };
    });
}

/** The text of the stdout and stderr lines, in order, with partial lines joined to their stream's next. */
export function logText(path: string): string[] {
  const out: string[] = [];
  const partial = new Map<string, string>();
  for (const l of readK8sLog(path)) {
    const text = (partial.get(l.stream) ?? '') + l.text;
    partial.delete(l.stream);
    if (l.tag === 'P') partial.set(l.stream, text);
    else out.push(text);
  }
  // A partial line at the very end (output without a final newline) still counts.
  return [...out, ...partial.values()];
}
