import type { ReactiveElement } from 'lit';

/**
 * Light or dark to match what is behind the element. The elements take the
 * page's text colour and paint no background of their own, so their links,
 * muted text and buttons must suit the page's background: following the
 * reader's setting alone gives a dark-mode reader pale links on a white blog.
 *
 * Sets the custom state `light` or `dark` on the host, which the shared styles
 * turn into `color-scheme`. Browsers without custom states keep
 * `color-scheme: light dark`, the reader's setting.
 */
export function matchPageColorScheme(host: ReactiveElement): void {
  const states = customStates(host);
  if (!states) return;
  const apply = () => {
    const dark = backdropIsDark(host);
    states.delete(dark ? 'light' : 'dark');
    states.add(dark ? 'dark' : 'light');
  };
  // A page switches theme by the reader's setting, or by a class or attribute on <html> or <body>.
  const query = matchMedia('(prefers-color-scheme: dark)');
  const observer = new MutationObserver(apply);
  host.addController({
    hostConnected() {
      query.addEventListener('change', apply);
      for (const element of [document.documentElement, document.body]) {
        if (element) observer.observe(element, { attributes: true });
      }
      // Stylesheets still loading may paint the background later.
      if (document.readyState !== 'complete') addEventListener('load', apply, { once: true });
      apply();
    },
    hostDisconnected() {
      query.removeEventListener('change', apply);
      observer.disconnect();
      removeEventListener('load', apply);
    },
  });
}

/** The host's custom states, where the browser has them and takes plain names. */
function customStates(host: ReactiveElement): CustomStateSet | undefined {
  try {
    // Safari before 17.4 has no `states`; Chromium before 125 takes only `--dashed` names and throws on these.
    const states = host.attachInternals().states;
    states?.add('light');
    return states;
  } catch {
    return undefined;
  }
}

/** Whether the nearest painted background behind `element`, or else the page's canvas, is dark. */
function backdropIsDark(element: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentElement ?? parentHost(node)) {
    const color = getComputedStyle(node).backgroundColor;
    // Computed colours are rgb()/rgba() for every way of writing an sRGB colour; others are passed over.
    if (!color.startsWith('rgb')) continue;
    const [r = 0, g = 0, b = 0, alpha = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
    if (alpha > 0.5) return 0.299 * r + 0.587 * g + 0.114 * b < 128;
  }
  // Nothing painted: the canvas is dark only where the page allows dark and the reader asks for it.
  let scheme = getComputedStyle(document.documentElement).colorScheme;
  if (scheme === 'normal' || scheme === '') {
    scheme = document.querySelector<HTMLMetaElement>('meta[name="color-scheme"]')?.content ?? '';
  }
  return scheme.includes('dark') && (!scheme.includes('light') || matchMedia('(prefers-color-scheme: dark)').matches);
}

function parentHost(node: Element): Element | null {
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}
