// Lit's floor: the smallest useful Lit element, built exactly as dist/paperledge.js is.
import { LitElement, css, html } from 'lit';

class MinimalElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
  `;

  override render() {
    return html`<p>Hello from Lit</p>`;
  }
}

if (!customElements.get('minimal-element')) customElements.define('minimal-element', MinimalElement);
