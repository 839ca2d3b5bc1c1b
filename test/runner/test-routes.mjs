// Routes the browser tests need from the test server beyond static files:
// responses that fail once or arrive late, to test retries and loading states.
const failedOnce = new Set();

export async function testRoutes(ctx, next) {
  const url = new URL(ctx.url, 'http://localhost');
  const then = url.searchParams.get('then') ?? '/';
  if (url.pathname.startsWith('/test-api/')) ctx.set('Cache-Control', 'no-store');
  if (url.pathname.startsWith('/test-api/flaky/')) {
    // The first request for a key fails with 503; the next ones get `then`.
    if (!failedOnce.has(url.pathname)) {
      failedOnce.add(url.pathname);
      ctx.status = 503;
      ctx.body = 'Service Unavailable';
      return;
    }
    ctx.redirect(then);
    return;
  }
  if (url.pathname === '/test-api/slow') {
    await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 3000)));
    ctx.redirect(then);
    return;
  }
  return next();
}
