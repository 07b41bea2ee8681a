import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../lib/navigation.js';

/** An ordinary link (middle-click, copy address) that navigates within the page on a plain click. */
export function Link(props: { href: string; children: ComponentChildren; class?: string; title?: string }) {
  return (
    <a href={props.href} class={props.class} title={props.title} onClick={(e) => onLinkClick(e, props.href)}>
      {props.children}
    </a>
  );
}
