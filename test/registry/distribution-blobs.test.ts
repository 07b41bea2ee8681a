import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRegistry } from './harness.js';
import { pushBlob, sha256, v2 } from './v2-client.js';

const reg = useTestRegistry();

beforeAll(async () => {
  for (const name of ['blobs/a', 'blobs/b', 'blobs/c']) await reg().registry.repositories.create(scopeOf(), { repositoryName: name });
});

function scopeOf() {
  return { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date() };
}

describe('GET /v2/ and authentication', () => {
  it('answers 401 with a Bearer challenge (the token endpoint) without credentials, and 200 with them', async () => {
    const anonymous = await v2(reg(), 'GET', '/v2/', { authorization: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(`Bearer realm="${reg().endpoint}/registry/token",service="ecr.amazonaws.com"`);
    expect(anonymous.code).toBe('UNAUTHORIZED');
    const ok = await v2(reg(), 'GET', '/v2/');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('refuses wrong credentials and anonymous access to every endpoint', async () => {
    const wrong = `Basic ${Buffer.from('test:nope').toString('base64')}`;
    expect((await v2(reg(), 'GET', '/v2/', { authorization: wrong })).status).toBe(401);
    expect((await v2(reg(), 'GET', '/v2/blobs/a/tags/list', { authorization: null })).status).toBe(401);
    expect((await v2(reg(), 'POST', '/v2/blobs/a/blobs/uploads/', { authorization: null })).status).toBe(401);
    const forged = `Basic ${Buffer.from('AWS:mnt1.eyJ2IjoxfQ.AAAA').toString('base64')}`;
    expect((await v2(reg(), 'GET', '/v2/', { authorization: forged })).status).toBe(401);
  });

  it('answers NAME_UNKNOWN as ECR does for a repository that does not exist, NAME_INVALID for a bad name', async () => {
    const unknown = await v2(reg(), 'POST', '/v2/nope/blobs/uploads/');
    expect(unknown.status).toBe(404);
    expect(unknown.code).toBe('NAME_UNKNOWN');
    expect(unknown.text).toContain("The repository with name 'nope' does not exist in the registry with id '000000000000'");
    const invalid = await v2(reg(), 'GET', '/v2/Bad_Name/tags/list');
    expect(invalid.status).toBe(400);
    expect(invalid.code).toBe('NAME_INVALID');
  });
});

describe('monolithic uploads and blob reads', () => {
  it('uploads with POST then PUT ?digest=, and serves the blob with HEAD, GET and Range', async () => {
    const bytes = randomBytes(10_000);
    const start = await v2(reg(), 'POST', '/v2/blobs/a/blobs/uploads/');
    expect(start.status).toBe(202);
    expect(start.headers.get('location')).toMatch(/^\/v2\/blobs\/a\/blobs\/uploads\/[0-9a-f-]{36}$/);
    expect(start.headers.get('docker-upload-uuid')).toBe(start.headers.get('location')!.split('/').pop());
    expect(start.headers.get('range')).toBe('0-0');
    const digest = sha256(bytes);
    const put = await v2(reg(), 'PUT', `${start.headers.get('location')}?digest=${digest}`, { body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBe(201);
    expect(put.headers.get('location')).toBe(`/v2/blobs/a/blobs/${digest}`);
    expect(put.headers.get('docker-content-digest')).toBe(digest);

    const head = await v2(reg(), 'HEAD', `/v2/blobs/a/blobs/${digest}`);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10000');
    expect(head.headers.get('docker-content-digest')).toBe(digest);
    const get = await v2(reg(), 'GET', `/v2/blobs/a/blobs/${digest}`);
    expect(get.body.equals(bytes)).toBe(true);
    const range = await v2(reg(), 'GET', `/v2/blobs/a/blobs/${digest}`, { headers: { range: 'bytes=100-199' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe('bytes 100-199/10000');
    expect(range.body.equals(bytes.subarray(100, 200))).toBe(true);
    const suffix = await v2(reg(), 'GET', `/v2/blobs/a/blobs/${digest}`, { headers: { range: 'bytes=-10' } });
    expect(suffix.body.equals(bytes.subarray(9990))).toBe(true);
    const beyond = await v2(reg(), 'GET', `/v2/blobs/a/blobs/${digest}`, { headers: { range: 'bytes=20000-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */10000');
  });

  it('uploads in a single POST with ?digest=', async () => {
    const bytes = Buffer.from('single post');
    const digest = sha256(bytes);
    const res = await v2(reg(), 'POST', `/v2/blobs/a/blobs/uploads/?digest=${digest}`, { body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('docker-content-digest')).toBe(digest);
    expect((await v2(reg(), 'GET', `/v2/blobs/a/blobs/${digest}`)).text).toBe('single post');
  });

  it('refuses content that does not match its digest, and keeps nothing of it', async () => {
    const claimed = sha256('something else');
    const start = await v2(reg(), 'POST', '/v2/blobs/a/blobs/uploads/');
    const put = await v2(reg(), 'PUT', `${start.headers.get('location')}?digest=${claimed}`, { body: 'actual content' });
    expect(put.status).toBe(400);
    expect(put.code).toBe('DIGEST_INVALID');
    expect((await v2(reg(), 'HEAD', `/v2/blobs/a/blobs/${claimed}`)).status).toBe(404);
    expect((await v2(reg(), 'HEAD', `/v2/blobs/a/blobs/${sha256('actual content')}`)).status).toBe(404);
    const single = await v2(reg(), 'POST', `/v2/blobs/a/blobs/uploads/?digest=${claimed}`, { body: 'actual content' });
    expect(single.code).toBe('DIGEST_INVALID');
    const malformed = await v2(reg(), 'PUT', `${start.headers.get('location')}?digest=sha256:1234`, { body: 'x' });
    expect(malformed.status).toBe(400);
    expect(malformed.code).toBe('DIGEST_INVALID');
  });

  it('stores sha512 blobs under their sha512 digest', async () => {
    const bytes = Buffer.from('five hundred twelve');
    const digest = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;
    const res = await v2(reg(), 'POST', `/v2/blobs/a/blobs/uploads/?digest=${digest}`, { body: bytes });
    expect(res.status).toBe(201);
    expect((await v2(reg(), 'GET', `/v2/blobs/a/blobs/${digest}`)).text).toBe('five hundred twelve');
    const files = await readdir(join(reg().dataDir, 'registry', 'blobs', 'sha512', digest.slice(7, 9)));
    expect(files).toEqual([digest.slice(7)]);
  });

  it('answers BLOB_UNKNOWN for blobs the repository does not have, even when another repository has them', async () => {
    const digest = await pushBlob(reg(), 'blobs/a', 'only in a');
    const other = await v2(reg(), 'GET', `/v2/blobs/b/blobs/${digest}`);
    expect(other.status).toBe(404);
    expect(other.code).toBe('BLOB_UNKNOWN');
    expect((await v2(reg(), 'HEAD', `/v2/blobs/b/blobs/${digest}`)).status).toBe(404);
  });

  it('deletes a blob from a repository', async () => {
    const digest = await pushBlob(reg(), 'blobs/a', 'to delete');
    expect((await v2(reg(), 'DELETE', `/v2/blobs/a/blobs/${digest}`)).status).toBe(202);
    expect((await v2(reg(), 'HEAD', `/v2/blobs/a/blobs/${digest}`)).status).toBe(404);
    expect((await v2(reg(), 'DELETE', `/v2/blobs/a/blobs/${digest}`)).code).toBe('BLOB_UNKNOWN');
  });
});

describe('chunked and streamed uploads', () => {
  it('appends chunks with Content-Range, refuses an out-of-order chunk with 416, and finishes with a last chunk', async () => {
    const bytes = randomBytes(3000);
    const start = await v2(reg(), 'POST', '/v2/blobs/a/blobs/uploads/');
    const location = start.headers.get('location')!;
    const first = await v2(reg(), 'PATCH', location, { body: bytes.subarray(0, 1000), headers: { 'content-type': 'application/octet-stream', 'content-range': '0-999' } });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-999');
    expect(first.headers.get('location')).toBe(location);
    expect(first.headers.get('docker-upload-uuid')).toBe(location.split('/').pop());
    const gap = await v2(reg(), 'PATCH', location, { body: bytes.subarray(1500, 2000), headers: { 'content-range': '1500-1999' } });
    expect(gap.status).toBe(416);
    expect(gap.headers.get('range')).toBe('0-999');
    const repeat = await v2(reg(), 'PATCH', location, { body: bytes.subarray(0, 1000), headers: { 'content-range': '0-999' } });
    expect(repeat.status).toBe(416);
    const second = await v2(reg(), 'PATCH', location, { body: bytes.subarray(1000, 2000), headers: { 'content-range': '1000-1999' } });
    expect(second.headers.get('range')).toBe('0-1999');
    const status = await v2(reg(), 'GET', location);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-1999');
    const digest = sha256(bytes);
    const done = await v2(reg(), 'PUT', `${location}?digest=${digest}`, { body: bytes.subarray(2000), headers: { 'content-range': '2000-2999' } });
    expect(done.status).toBe(201);
    expect((await v2(reg(), 'GET', `/v2/blobs/a/blobs/${digest}`)).body.equals(bytes)).toBe(true);
    expect((await v2(reg(), 'GET', location)).code).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('refuses a chunk whose length does not match its Content-Range, and rolls it back', async () => {
    const start = await v2(reg(), 'POST', '/v2/blobs/a/blobs/uploads/');
    const location = start.headers.get('location')!;
    const bad = await v2(reg(), 'PATCH', location, { body: 'short', headers: { 'content-range': '0-99' } });
    expect(bad.status).toBe(400);
    expect(bad.code).toBe('SIZE_INVALID');
    expect((await v2(reg(), 'GET', location)).headers.get('range')).toBe('0-0');
    const good = await v2(reg(), 'PATCH', location, { body: 'short', headers: { 'content-range': '0-4' } });
    expect(good.headers.get('range')).toBe('0-4');
  });

  it('appends streamed chunks without Content-Range, then finishes with an empty PUT', async () => {
    const start = await v2(reg(), 'POST', '/v2/blobs/a/blobs/uploads/');
    const location = start.headers.get('location')!;
    const parts = ['stream', 'ed ', 'upload'];
    for (const part of parts) expect((await v2(reg(), 'PATCH', location, { body: part })).status).toBe(202);
    const digest = sha256(parts.join(''));
    expect((await v2(reg(), 'PUT', `${location}?digest=${digest}`)).status).toBe(201);
    expect((await v2(reg(), 'GET', `/v2/blobs/a/blobs/${digest}`)).text).toBe('streamed upload');
  });

  it('answers BLOB_UPLOAD_UNKNOWN for unknown, cancelled and foreign upload ids', async () => {
    const unknown = await v2(reg(), 'PATCH', '/v2/blobs/a/blobs/uploads/00000000-0000-4000-8000-000000000000', { body: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect((await v2(reg(), 'GET', '/v2/blobs/a/blobs/uploads/..%2F..%2Fetc')).code).toBe('BLOB_UPLOAD_UNKNOWN');
    const start = await v2(reg(), 'POST', '/v2/blobs/a/blobs/uploads/');
    const id = start.headers.get('docker-upload-uuid')!;
    expect((await v2(reg(), 'GET', `/v2/blobs/b/blobs/uploads/${id}`)).code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect((await v2(reg(), 'DELETE', start.headers.get('location')!)).status).toBe(204);
    expect((await v2(reg(), 'PUT', `${start.headers.get('location')}?digest=${sha256('')}`)).code).toBe('BLOB_UPLOAD_UNKNOWN');
  });
});

describe('cross-repository mount', () => {
  it('mounts a blob the source repository has (201) and starts an upload otherwise (202)', async () => {
    const digest = await pushBlob(reg(), 'blobs/a', 'mount me');
    const mounted = await v2(reg(), 'POST', `/v2/blobs/c/blobs/uploads/?mount=${digest}&from=blobs/a`);
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('location')).toBe(`/v2/blobs/c/blobs/${digest}`);
    expect((await v2(reg(), 'GET', `/v2/blobs/c/blobs/${digest}`)).text).toBe('mount me');
    const missing = sha256('not anywhere');
    const fallback = await v2(reg(), 'POST', `/v2/blobs/c/blobs/uploads/?mount=${missing}&from=blobs/a`);
    expect(fallback.status).toBe(202);
    expect(fallback.headers.get('location')).toMatch(/^\/v2\/blobs\/c\/blobs\/uploads\//);
    const noSource = await v2(reg(), 'POST', `/v2/blobs/c/blobs/uploads/?mount=${digest}&from=does-not-exist`);
    expect(noSource.status).toBe(202);
  });
});
