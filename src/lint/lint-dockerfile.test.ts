import { describe, expect, it } from 'vitest';
import { failsLint, lintDockerfile } from './lint-dockerfile.js';

/** A Dockerfile with known problems, one per line marked. */
export const PROBLEMS = `FROM debian:latest
MAINTAINER someone@example.com
WORKDIR app
RUN apt-get update && apt-get install curl
RUN cd /src && sudo make install
ADD app.py /app/
COPY a b /dest
CMD python app.py
`;

/** The same image written cleanly. */
export const CLEAN = `# syntax=docker/dockerfile:1
FROM debian:12.5 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
RUN apt-get update \\
 && apt-get install -y --no-install-recommends make=4.3-4.1 \\
 && rm -rf /var/lib/apt/lists/*
COPY . .
RUN make install | tee build.log

FROM debian:12.5
WORKDIR /app
COPY --from=build /src/out/ ./
COPY a b /dest/
USER app
CMD ["python", "app.py"]
`;

describe('lintDockerfile', () => {
  it('finds the known problems, line by line, in order', () => {
    const found = lintDockerfile(PROBLEMS).map((f) => `${f.line} ${f.code} ${f.level}`);
    expect(found).toEqual([
      '1 DL3007 warning',
      '2 DL4000 error',
      '3 DL3000 error',
      '4 DL3008 info',
      '4 DL3009 info',
      '4 DL3014 warning',
      '4 DL3015 info',
      '5 DL3003 warning',
      '5 DL3004 error',
      '6 DL3020 error',
      '7 DL3021 error',
      '8 DL3025 warning',
    ]);
    expect(failsLint(lintDockerfile(PROBLEMS))).toBe(true);
  });

  it('finds nothing in a clean Dockerfile', () => {
    expect(lintDockerfile(CLEAN)).toEqual([]);
    expect(failsLint([])).toBe(false);
  });

  it('does not fail on informational findings alone', () => {
    const findings = lintDockerfile('FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n');
    expect(findings.map((f) => f.code)).toEqual(['DL3008']);
    expect(failsLint(findings)).toBe(false);
  });

  it('applies `# hadolint ignore=` to the next instruction only', () => {
    const source = 'FROM debian:12\n# hadolint ignore=DL3003,DL3004\nRUN cd /x && sudo make\nRUN cd /y && sudo make\n';
    expect(lintDockerfile(source).map((f) => `${f.line} ${f.code}`)).toEqual(['4 DL3003', '4 DL3004']);
  });

  it('lets several pragma comments stack above one instruction, and not reach past a blank line', () => {
    const stacked = 'FROM debian:12\n# hadolint ignore=DL3003\n# hadolint ignore=DL3004\nRUN cd /x && sudo make\n';
    expect(lintDockerfile(stacked)).toEqual([]);
    const apart = 'FROM debian:12\n# hadolint ignore=DL3003\n\nRUN cd /x\n';
    expect(lintDockerfile(apart).map((f) => f.code)).toEqual(['DL3003']);
  });

  it('applies `# hadolint global ignore=` and the ignore option to the whole file', () => {
    const source = '# hadolint global ignore=DL3007\nFROM debian:latest\nMAINTAINER x\nWORKDIR app\n';
    expect(lintDockerfile(source).map((f) => f.code)).toEqual(['DL4000', 'DL3000']);
    expect(lintDockerfile(source, { ignore: ['DL4000', 'DL3000'] })).toEqual([]);
  });

  it('reports an unknown instruction as a parse error', () => {
    expect(lintDockerfile('FROM debian:12\nRUNN make\n')).toEqual([
      { file: 'Dockerfile', line: 2, column: 1, code: 'DL1000', level: 'error', message: "unexpected 'RUNN' expecting a Dockerfile instruction" },
    ]);
  });
});
