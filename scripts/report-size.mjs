// Prints each bundle's size, raw and compressed, after `npm run build`, beside its budget.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const budget = JSON.parse(readFileSync(new URL('../size-budget.json', import.meta.url), 'utf8'));
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
for (const [file, limit] of Object.entries(budget.gzipKB)) {
  const bytes = readFileSync(new URL(`../dist/${file}`, import.meta.url));
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const brotli = brotliCompressSync(bytes).length;
  console.log(`dist/${file}: ${kb(bytes.length)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli (budget ${limit} KB gzip)`);
}
// The parts loaded on demand, once per bundle that loads them: their budgets are per chunk.
const chunks = new URL('../dist/chunks/', import.meta.url);
const { readdirSync } = await import('node:fs');
for (const file of readdirSync(chunks).sort()) {
  const bytes = readFileSync(new URL(file, chunks));
  const name = file.replace(/-[\w-]{8}\.js$/, '');
  console.log(`dist/chunks/${file}: ${kb(gzipSync(bytes, { level: 9 }).length)} gzip (budget ${budget.chunksGzipKB[name]} KB gzip)`);
}
// Each language beside English: a file a part of the page, fetched only by pages in that language that show it.
const locales = new URL('../dist/locales/', import.meta.url);
for (const code of readdirSync(locales).filter((name) => !name.includes('.')).sort()) {
  const parts = readdirSync(new URL(`${code}/`, locales)).sort();
  const sizes = parts.map((part) => gzipSync(readFileSync(new URL(`${code}/${part}`, locales)), { level: 9 }).length);
  const list = parts.map((part, i) => `${part.replace('.js', '')} ${sizes[i]}`).join(', ');
  console.log(`dist/locales/${code}/: ${list} bytes gzip (budget ${budget.localePartGzipKB} KB gzip each)`);
}
