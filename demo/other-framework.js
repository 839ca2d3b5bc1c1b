// Another library's custom element on the same page: its own tag, shadow root and styles.
class OtherCard extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = new CSSStyleSheet();
    style.replaceSync(':host{display:block;border:1px solid #ccc;padding:1rem} button{font:inherit}');
    root.adoptedStyleSheets = [style];
    const button = document.createElement('button');
    button.textContent = 'Other framework button';
    button.addEventListener('click', () => this.setAttribute('clicked', ''));
    root.append(document.createElement('slot'), button);
  }
}
if (!customElements.get('other-card')) customElements.define('other-card', OtherCard);
