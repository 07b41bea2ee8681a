import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The built web console: dist/console at the package root (the same path from src/server and
 * dist/server), written by `npm run build` (Vite, console/vite.config.ts).
 */
export const CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));

/** Where the console is served. */
export const CONSOLE_PATH = '/console/';

/**
 * The console's pages only load code from this origin and talk to this origin's APIs; nothing may
 * frame them (the login form takes a secret key).
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The console as a front-door plugin. Its files are public (a page and its scripts, no data): every
 * piece of data it shows comes from the signed AWS API calls it makes with the credentials typed
 * on its login page. Hashed assets are cached for good; every other path under /console/ is the
 * page itself, so deep links and reloads land on the right view (the page routes in the browser).
 */
export function consoleRoutes(root: string = CONSOLE_DIR): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    const built = existsSync(join(root, 'index.html'));
    await app.register(fastifyStatic, { root, serve: false, decorateReply: true });
    app.addHook('onSend', async (_req, reply, payload) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
      return payload;
    });
    app.get('/console', (_req, reply) => reply.redirect(CONSOLE_PATH));
    app.get<{ Params: { '*': string } }>('/console/*', (req, reply) => {
      if (!built) return reply.code(404).type('text/plain').send('The console is not built: run `npm run build`.\n');
      const file = req.params['*'];
      if (file.startsWith('assets/')) return reply.sendFile(file, { maxAge: '365d', immutable: true });
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    });
  };
}
