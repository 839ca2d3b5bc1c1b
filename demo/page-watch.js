// Loaded first by the hostile demo pages: records script errors and Content
// Security Policy violations, so tests (and curious readers) can see there were none.
window.__pageErrors = [];
window.__cspViolations = [];
window.addEventListener('error', (event) => window.__pageErrors.push(String(event.message || event.error)));
window.addEventListener('unhandledrejection', (event) => window.__pageErrors.push(String(event.reason)));
document.addEventListener('securitypolicyviolation', (event) =>
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
);
