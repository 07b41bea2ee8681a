import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Credentials } from './aws/signer.js';
import { useLocation } from './lib/navigation.js';
import { href, type Route } from './lib/routes.js';
import { Link } from './ui/link.js';

const NAV: { label: string; route: Route; prefix: string }[] = [
  { label: 'Clusters', route: { page: 'clusters' }, prefix: 'clusters' },
  { label: 'Logs', route: { page: 'log-groups' }, prefix: 'logs' },
  { label: 'Task definitions', route: { page: 'task-definitions' }, prefix: 'task-definitions' },
  { label: 'Repositories', route: { page: 'repositories' }, prefix: 'repositories' },
  { label: 'Secrets & parameters', route: { page: 'secrets' }, prefix: 'secrets' },
  { label: 'Cost', route: { page: 'cost' }, prefix: 'cost' },
];

type Theme = 'auto' | 'light' | 'dark';
const THEME_KEY = 'minato.console.theme';

/** The frame of every signed-in page: navigation, who is signed in, the theme switch. */
export function Shell(props: { credentials: Credentials; onSignOut: () => void; children: ComponentChildren }) {
  const { pathname } = useLocation();
  const section = pathname.split('/')[2] || 'clusters';
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem(THEME_KEY) as Theme | null) ?? 'auto');
  useEffect(() => {
    if (theme === 'auto') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href={href({ page: 'clusters' })} class="brand">
          minato
        </Link>
        <nav aria-label="Sections">
          {NAV.map((n) => (
            <Link key={n.prefix} href={href(n.route)} class={section === n.prefix ? 'active' : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <span class="who" title={`Access key ${props.credentials.accessKeyId}`}>
          {props.credentials.region}
        </span>
        <label class="theme">
          <span class="visually-hidden">Theme</span>
          <select value={theme} onChange={(e) => setTheme((e.target as HTMLSelectElement).value as Theme)}>
            <option value="auto">System theme</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <button type="button" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
