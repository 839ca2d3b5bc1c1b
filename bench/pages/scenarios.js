// Benchmark scenarios run inside the page, against the built bundle.
// Plain JavaScript, loaded as a module, so no build tool rewrites what runs here.
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const shadowNodes = (el) => el.shadowRoot.querySelectorAll('*').length;

async function timed(el, action) {
  const start = performance.now();
  await action();
  await el.updateComplete;
  await frame();
  return { ms: performance.now() - start, nodes: shadowNodes(el) };
}

export async function credits(count) {
  const el = document.createElement('paperledge-credits');
  el.authors = Array.from({ length: count }, (_, i) => `Author Number ${i + 1}`);
  const collapsed = await timed(el, () => document.body.append(el));
  const expanded = await timed(el, () => el.shadowRoot.querySelector('[part="toggle"]').click());
  const input = el.shadowRoot.querySelector('[part="filter"]');
  const filtered = await timed(el, () => {
    input.value = 'number 49';
    input.dispatchEvent(new Event('input'));
  });
  el.remove();
  return { collapsed, expanded, filtered };
}
