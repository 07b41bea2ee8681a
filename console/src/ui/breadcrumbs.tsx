import { Link } from './link.js';

/** Where this page sits: each step a link, the last one the page itself. */
export function Breadcrumbs(props: { steps: readonly { label: string; href?: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" class="crumbs">
      {props.steps.map((s, i) => (
        <span key={i}>
          {i > 0 && <span aria-hidden="true"> / </span>}
          {s.href ? <Link href={s.href}>{s.label}</Link> : <span aria-current="page">{s.label}</span>}
        </span>
      ))}
    </nav>
  );
}
