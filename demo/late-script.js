// Adds the widget's script well after its markup is in the page, as some CMSs do.
window.addEventListener('load', () => {
  setTimeout(() => {
    window.__beforeScript = Boolean(document.querySelector('paperledge-credits').shadowRoot);
    const script = document.createElement('script');
    script.type = 'module';
    script.src = new URL('../dist/paperledge.js', document.baseURI).href;
    document.head.append(script);
  }, 300);
});
