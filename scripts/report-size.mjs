// Prints the bundle's size, raw and compressed, after `npm run build`.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const BUNDLE = new URL('../dist/paperledge.js', import.meta.url);
const budget = JSON.parse(readFileSync(new URL('../size-budget.json', import.meta.url), 'utf8'));
const bytes = readFileSync(BUNDLE);
const gzip = gzipSync(bytes, { level: 9 }).length;
const brotli = brotliCompressSync(bytes).length;
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
console.log(
  `dist/paperledge.js: ${kb(bytes.length)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli (budget ${budget.gzipKB} KB gzip, goal ${budget.goalKB} KB)`,
);
