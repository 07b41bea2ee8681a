import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './dockerfile.js';
import { lintDockerfile } from './lint-dockerfile.js';

const LINES = [
  'FROM debian:latest AS build',
  'FROM build',
  'FROM alpine',
  'RUN apt-get update && apt-get install curl | tee log',
  'RUN cd /x && sudo make \\',
  '  && wget https://e/x',
  'RUN <<EOF',
  'apk add curl',
  'EOF',
  'COPY --from=nowhere a b c',
  'COPY a b',
  'WORKDIR app',
  'USER root',
  'CMD echo hi',
  'ENTRYPOINT ["x"]',
  'MAINTAINER x',
  '# hadolint ignore=DL3007,DL3003',
  '# a comment',
  '',
];

const dockerfile = fc.array(fc.oneof(fc.constantFrom(...LINES), fc.string({ maxLength: 30 })), { maxLength: 25 }).map((lines) => lines.join('\n'));

describe('lintDockerfile, for any text', () => {
  it('never throws, and reports only on lines where an instruction starts', () => {
    fc.assert(
      fc.property(dockerfile, (source) => {
        const starts = new Set(parseDockerfile(source).instructions.map((i) => i.line));
        for (const f of lintDockerfile(source)) expect(starts.has(f.line)).toBe(true);
      }),
    );
  });

  it('ignoring a code removes exactly its findings', () => {
    fc.assert(
      fc.property(dockerfile, fc.constantFrom('DL3007', 'DL3003', 'DL4006', 'DL3021', 'DL3002'), (source, code) => {
        const all = lintDockerfile(source);
        expect(lintDockerfile(source, { ignore: [code] })).toEqual(all.filter((f) => f.code !== code));
      }),
    );
  });
});
