import { describe, expect, it } from 'vitest';
import { lintDockerfile, RULES } from './lint-dockerfile.js';

/** [code, a Dockerfile that fails it (on `line`), one that passes it]. */
const CASES: [code: string, failing: string, line: number, passing: string][] = [
  ['DL3000', 'FROM debian:12\nWORKDIR app\n', 2, 'FROM debian:12\nWORKDIR /app\nWORKDIR $HOME\n'],
  ['DL3001', 'FROM debian:12\nRUN service nginx start\n', 2, 'FROM debian:12\nRUN nginx -t\n'],
  ['DL3002', 'FROM debian:12\nUSER app\nUSER root\n', 3, 'FROM debian:12\nUSER root\nRUN id\nUSER app\n'],
  ['DL3003', 'FROM debian:12\nRUN cd /tmp && make\n', 2, 'FROM debian:12\nWORKDIR /tmp\nRUN make\n'],
  ['DL3004', 'FROM debian:12\nRUN sudo apt-get update\n', 2, 'FROM debian:12\nRUN echo sudo\n'],
  ['DL3006', 'FROM debian\n', 1, 'FROM debian:12 AS base\nFROM base\nFROM scratch\nFROM alpine@sha256:abc\nFROM $IMAGE\n'],
  ['DL3007', 'FROM debian:latest\n', 1, 'FROM debian:12\n'],
  ['DL3008', 'FROM debian:12\nRUN apt-get install -y curl\n', 2, 'FROM debian:12\nRUN apt-get install -y -t bookworm curl=7.88 ./local.deb\n'],
  ['DL3009', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n', 2, 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n'],
  ['DL3011', 'FROM debian:12\nEXPOSE 80 70000\n', 2, 'FROM debian:12\nEXPOSE 80/tcp 8000-8080\n'],
  ['DL3012', 'FROM debian:12\nHEALTHCHECK CMD ["true"]\nHEALTHCHECK NONE\n', 3, 'FROM debian:12\nHEALTHCHECK CMD ["true"]\nFROM debian:12\nHEALTHCHECK NONE\n'],
  ['DL3013', 'FROM python:3\nRUN pip install flask\n', 2, 'FROM python:3\nRUN pip install flask==3.0 ./pkg.whl && pip install -r requirements.txt\n'],
  ['DL3014', 'FROM debian:12\nRUN apt-get install curl\n', 2, 'FROM debian:12\nRUN apt-get install -y curl && apt-get -qq install wget && apt-get --assume-yes install git\n'],
  ['DL3015', 'FROM debian:12\nRUN apt-get install -y curl\n', 2, 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n'],
  ['DL3016', 'FROM node:20\nRUN npm install express\n', 2, 'FROM node:20\nRUN npm install express@4 @scope/pkg@1.2 ./local && npm install\n'],
  ['DL3018', 'FROM alpine:3\nRUN apk add --no-cache curl\n', 2, 'FROM alpine:3\nRUN apk add --no-cache curl=8.5.0-r0 --virtual .deps\n'],
  ['DL3019', 'FROM alpine:3\nRUN apk add curl=8\n', 2, 'FROM alpine:3\nRUN apk add --no-cache curl=8\n'],
  ['DL3020', 'FROM debian:12\nADD app.py /app/\n', 2, 'FROM debian:12\nADD rootfs.tar.gz /\nADD https://example.com/x /x\n'],
  ['DL3021', 'FROM debian:12\nCOPY a b /app\n', 2, 'FROM debian:12\nCOPY a b /app/\nCOPY a /app\n'],
  ['DL3022', 'FROM debian:12\nCOPY --from=builder /x /x\n', 2, 'FROM golang:1 AS builder\nFROM debian:12\nCOPY --from=builder /x /x\nCOPY --from=0 /y /y\nCOPY --from=nginx:1 /z /z\n'],
  ['DL3023', 'FROM debian:12 AS app\nCOPY --from=app /x /x\n', 2, 'FROM debian:12 AS build\nFROM debian:12 AS app\nCOPY --from=build /x /x\n'],
  ['DL3024', 'FROM debian:12 AS a\nFROM debian:12 AS a\n', 2, 'FROM debian:12 AS a\nFROM debian:12 AS b\n'],
  ['DL3025', 'FROM debian:12\nCMD node server.js\n', 2, 'FROM debian:12\nCMD ["node", "server.js"]\nENTRYPOINT ["tini", "--"]\n'],
  ['DL3027', 'FROM debian:12\nRUN apt install -y curl\n', 2, 'FROM debian:12\nRUN apt-get install -y curl\n'],
  ['DL3028', 'FROM ruby:3\nRUN gem install rails\n', 2, 'FROM ruby:3\nRUN gem install rails:7.1 && gem install bundler -v 2.5\n'],
  ['DL3029', 'FROM --platform=linux/amd64 debian:12\n', 1, 'FROM --platform=$BUILDPLATFORM debian:12\n'],
  ['DL3030', 'FROM centos:7\nRUN yum install httpd\n', 2, 'FROM centos:7\nRUN yum install -y httpd\n'],
  ['DL3038', 'FROM fedora:40\nRUN dnf install httpd\n', 2, 'FROM fedora:40\nRUN dnf install -y httpd\n'],
  ['DL3042', 'FROM python:3\nRUN pip install flask==3\n', 2, 'FROM python:3\nRUN pip install --no-cache-dir flask==3\nFROM python:3 AS b\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3\n'],
  ['DL3043', 'FROM debian:12\nONBUILD FROM alpine:3\n', 2, 'FROM debian:12\nONBUILD RUN echo hi\n'],
  ['DL3045', 'FROM debian:12\nCOPY app.py app.py\n', 2, 'FROM debian:12\nCOPY app.py /app/app.py\nWORKDIR /app\nCOPY app.py app.py\n'],
  ['DL3046', 'FROM debian:12\nRUN useradd -u 123456 app\n', 2, 'FROM debian:12\nRUN useradd -l -u 123456 app && useradd -u 1000 other\n'],
  ['DL3047', 'FROM debian:12\nRUN wget https://example.com/x\n', 2, 'FROM debian:12\nRUN wget -q https://example.com/x && wget --progress=dot:giga https://example.com/y && wget -nv https://example.com/z\n'],
  ['DL3059', 'FROM debian:12\nRUN echo a\n# a comment\nRUN echo b\n', 4, 'FROM debian:12\nRUN echo a\nWORKDIR /x\nRUN echo b\nRUN a && b && c\n'],
  ['DL3061', 'WORKDIR /app\nFROM debian:12\n', 1, 'ARG VERSION=12\nFROM debian:${VERSION}\n'],
  ['DL4000', 'FROM debian:12\nMAINTAINER someone\n', 2, 'FROM debian:12\nLABEL maintainer=someone\n'],
  ['DL4001', 'FROM debian:12\nRUN curl -fsSLo a https://e/a\nRUN wget -q https://e/b\n', 3, 'FROM debian:12\nRUN curl -fsSLo a https://e/a\nFROM debian:12\nRUN wget -q https://e/b\n'],
  ['DL4003', 'FROM debian:12\nCMD ["a"]\nCMD ["b"]\n', 3, 'FROM debian:12\nCMD ["a"]\nFROM debian:12\nCMD ["b"]\n'],
  ['DL4004', 'FROM debian:12\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n', 3, 'FROM debian:12\nENTRYPOINT ["a"]\n'],
  ['DL4005', 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n', 2, 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\n'],
  ['DL4006', 'FROM debian:12\nRUN curl -fsSL https://e/x | sh\n', 2, 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://e/x | sh\nRUN a || b\n'],
];

const codesAt = (source: string, code: string): number[] => lintDockerfile(source).filter((f) => f.code === code).map((f) => f.line);

describe('the rules, each with a failing and a passing Dockerfile', () => {
  it.each(CASES)('%s', (code, failing, line, passing) => {
    expect(codesAt(failing, code)).toEqual([line]);
    expect(codesAt(passing, code)).toEqual([]);
  });

  it('every rule has a case', () => {
    expect(RULES.map((r) => r.code).sort()).toEqual(CASES.map((c) => c[0]).sort());
  });
});

describe('rules that hold state across stages', () => {
  it('DL3002 reports each stage whose last USER is root', () => {
    expect(codesAt('FROM a:1\nUSER root\nFROM b:1\nUSER 0:0\nUSER app\nFROM c:1\nUSER root:root\n', 'DL3002')).toEqual([2, 7]);
  });

  it('DL3009 reports a stage a later FROM builds on, not a discarded builder', () => {
    const builder = 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /x /x\n';
    expect(codesAt(builder, 'DL3009')).toEqual([]);
    const base = 'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y gcc\nFROM base\nRUN true\n';
    expect(codesAt(base, 'DL3009')).toEqual([2]);
  });

  it('DL3009 accepts a cache mount of the apt lists', () => {
    expect(codesAt('FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y gcc\n', 'DL3009')).toEqual([]);
  });

  it('DL3045 inherits WORKDIR from the stage a FROM builds on', () => {
    expect(codesAt('FROM debian:12 AS base\nWORKDIR /app\nFROM base\nCOPY a a\nFROM debian:12\nCOPY b b\n', 'DL3045')).toEqual([6]);
  });

  it('DL3059 leaves RUNs that already chain commands', () => {
    expect(codesAt('FROM debian:12\nRUN a && b\nRUN c\nRUN d\n', 'DL3059')).toEqual([4]);
  });

  it('DL3013 and DL3028 skip the values of options', () => {
    expect(codesAt('FROM python:3\nRUN pip install --root-user-action ignore --python "$(which python)" poetry==1.8.5\n', 'DL3013')).toEqual([]);
    expect(codesAt('FROM ruby:3\nRUN gem install bundler:2.0.1 --use-system-libraries true\n', 'DL3028')).toEqual([]);
  });

  it('DL3059 does not join RUNs with different flags', () => {
    expect(codesAt('FROM debian:12\nRUN echo a\nRUN --mount=type=cache,target=/root/.cache echo b\n', 'DL3059')).toEqual([]);
  });

  it('rules read RUNs triggered by ONBUILD', () => {
    expect(codesAt('FROM debian:12\nONBUILD RUN sudo make\n', 'DL3004')).toEqual([2]);
    expect(codesAt('FROM python:3\nONBUILD RUN pip install flask==3\n', 'DL3042')).toEqual([2]);
    // A trigger runs in the image built on this one: reported even from a builder stage.
    expect(codesAt('FROM debian:12 AS build\nONBUILD RUN --mount=type=cache,target=/var/lib/apt apt-get update\nFROM scratch\n', 'DL3009')).toEqual([2]);
  });

  it('rules read RUN heredocs', () => {
    expect(codesAt('FROM debian:12\nRUN <<EOF\napt-get update\napt-get install curl\nEOF\n', 'DL3014')).toEqual([2]);
  });
});
