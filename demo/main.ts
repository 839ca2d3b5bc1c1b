import { parsePaperLedgeText } from '../src/model/index.js';

const root = document.getElementById('episode')!;
const text = await (await fetch('./episodes/deepseek-v3.txt')).text();
const episode = parsePaperLedgeText(text, { id: 'deepseek-v3', title: 'DeepSeek-V3' });
const h1 = document.createElement('h1');
h1.textContent = episode.title;
root.replaceChildren(h1);
for (const block of episode.transcript) {
  const node = document.createElement(block.type === 'paragraph' ? 'p' : block.type === 'quote' ? 'blockquote' : 'ul');
  if (block.type === 'list') {
    for (const item of block.items) node.appendChild(document.createElement('li')).textContent = item;
  } else {
    node.textContent = block.text;
  }
  root.appendChild(node);
}
