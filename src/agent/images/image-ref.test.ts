import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.js';
import { parseDigest, parseImageRef } from './image-ref.js';

const HEX = 'a'.repeat(64);
const HEX2 = '0123456789abcdef'.repeat(4);

describe('parseImageRef', () => {
  it.each([
    ['busybox', 'registry-1.docker.io', 'docker.io', 'library/busybox', 'latest', undefined, 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'registry-1.docker.io', 'docker.io', 'library/busybox', '1.36', undefined, 'docker.io/library/busybox:1.36'],
    ['nginx/nginx-ingress:3.0', 'registry-1.docker.io', 'docker.io', 'nginx/nginx-ingress', '3.0', undefined, 'docker.io/nginx/nginx-ingress:3.0'],
    ['docker.io/library/busybox', 'registry-1.docker.io', 'docker.io', 'library/busybox', 'latest', undefined, 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'registry-1.docker.io', 'docker.io', 'library/busybox', 'latest', undefined, 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox:1', 'registry-1.docker.io', 'docker.io', 'library/busybox', '1', undefined, 'docker.io/library/busybox:1'],
    ['localhost:5000/app:1', 'localhost:5000', 'localhost:5000', 'app', '1', undefined, 'localhost:5000/app:1'],
    ['localhost/app', 'localhost', 'localhost', 'app', 'latest', undefined, 'localhost/app:latest'],
    [`127.0.0.1:4566/team/app@sha256:${HEX}`, '127.0.0.1:4566', '127.0.0.1:4566', 'team/app', undefined, `sha256:${HEX}`, `127.0.0.1:4566/team/app@sha256:${HEX}`],
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1', '123456789012.dkr.ecr.us-east-1.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com', 'app', 'v1', undefined, '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1'],
    [`public.ecr.aws/nginx/nginx:1.25@sha256:${HEX2}`, 'public.ecr.aws', 'public.ecr.aws', 'nginx/nginx', '1.25', `sha256:${HEX2}`, `public.ecr.aws/nginx/nginx:1.25@sha256:${HEX2}`],
    ['[::1]:5000/app:dev', '[::1]:5000', '[::1]:5000', 'app', 'dev', undefined, '[::1]:5000/app:dev'],
    ['my-registry.example:443/a/b/c_d__e.f-g:tag_1.0-rc', 'my-registry.example:443', 'my-registry.example:443', 'a/b/c_d__e.f-g', 'tag_1.0-rc', undefined, 'my-registry.example:443/a/b/c_d__e.f-g:tag_1.0-rc'],
    ['Registry.Example/app', 'Registry.Example', 'Registry.Example', 'app', 'latest', undefined, 'Registry.Example/app:latest'],
    [`app@sha512:${'b'.repeat(128)}`, 'registry-1.docker.io', 'docker.io', 'library/app', undefined, `sha512:${'b'.repeat(128)}`, `docker.io/library/app@sha512:${'b'.repeat(128)}`],
  ])('%s', (image, registry, domain, repository, tag, digest, canonical) => {
    const ref = parseImageRef(image);
    expect(ref).toEqual({
      registry,
      domain,
      repository,
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
      reference: digest ?? tag,
      canonical,
    });
  });

  it('asks for the digest when tag and digest are both given', () => {
    const ref = parseImageRef(`localhost:5000/app:1@sha256:${HEX}`);
    expect(ref.tag).toBe('1');
    expect(ref.reference).toBe(`sha256:${HEX}`);
  });

  it.each([
    ['', /at least one component/],
    ['Busybox', /must be lowercase/],
    ['localhost:5000/App:1', /must be lowercase/],
    [' busybox', /whitespace/],
    ['busybox:', /invalid tag/],
    ['busybox:-1', /invalid tag/],
    [`busybox:${'t'.repeat(129)}`, /invalid tag/],
    ['busybox@sha256:abc', /invalid checksum digest format/],
    [`busybox@md5:${'a'.repeat(32)}`, /unsupported digest algorithm md5/],
    [`busybox@sha256:${'A'.repeat(64)}`, /invalid checksum digest format/],
    ['busybox@', /invalid digest/],
    ['localhost:5000/', /at least one component/],
    ['a//b', /invalid repository name component/],
    ['a/-b', /invalid repository name component/],
    ['a/b_', /invalid repository name component/],
    ['a/b___c', /invalid repository name component/],
    ['reg-.example/app', /invalid registry/],
    ['reg.example:port/app', /invalid registry|invalid tag/],
    [`example.com/${'a'.repeat(250)}`, /not be more than 255 characters/],
  ])('refuses %j', (image, reason) => {
    let thrown: unknown;
    try {
      parseImageRef(image);
    } catch (err) {
      thrown = err;
    }
    expect(isDomainError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/^invalid reference format/);
    expect((thrown as Error).message).toMatch(reason);
  });

  it('round-trips canonical references', () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,8}([._-][a-z0-9]{1,8})?$/);
    const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 3 }), tag, fc.boolean(), (path, t, withRegistry) => {
        const image = `${withRegistry ? 'localhost:5000/' : ''}${path.join('/')}:${t}`;
        const ref = parseImageRef(image);
        expect(parseImageRef(ref.canonical)).toEqual(ref);
        expect(ref.tag).toBe(t);
      }),
    );
  });
});

describe('parseDigest', () => {
  it('splits sha256 and sha512 digests', () => {
    expect(parseDigest(`sha256:${HEX}`)).toEqual({ algorithm: 'sha256', hex: HEX });
    expect(parseDigest(`sha512:${'c'.repeat(128)}`)).toEqual({ algorithm: 'sha512', hex: 'c'.repeat(128) });
  });

  it('refuses wrong lengths', () => {
    expect(() => parseDigest(`sha512:${HEX}`)).toThrow(/invalid checksum digest format/);
  });
});
