#!/usr/bin/env node
// What a phone downloads for a page, from the site `cargo leptos build` made. Awn's
// pages are Leptos islands (app/src/page_scripts.rs): a page without an island loads
// no WASM or JS at all; a page with one (a date field) loads the one islands bundle.
//
//   node bench/bundle.mjs [SITE_ROOT]        default target/site
//
// Files, raw KiB, gzip -9 KiB, brotli KiB (the precompressed .br the server
// sends when it is there, else brotli quality 11 made here). WASM + JS only: the
// budget of a beneficiary page is 200 KB gzip of those; the CSS is printed apart.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const site = process.argv[2] || 'target/site';
const pkg = join(site, 'pkg');
const hashes = Object.fromEntries(
  readFileSync(join(site, 'hash.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.includes(': '))
    .map((line) => line.split(': ')),
);
const named = (stem, ext) => join(pkg, `${stem}.${hashes[ext]}.${ext}`);
const bundle = [named('awn', 'wasm'), named('awn', 'js')];

const sizes = (file) => {
  const bytes = readFileSync(file);
  const br = existsSync(`${file}.br`)
    ? readFileSync(`${file}.br`).length
    : brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, br };
};
const total = (files) =>
  files.map(sizes).reduce((a, b) => ({ raw: a.raw + b.raw, gz: a.gz + b.gz, br: a.br + b.br }), { raw: 0, gz: 0, br: 0 });
const kib = (n) => (n / 1024).toFixed(0).padStart(6);

const groups = [
  ['a page without islands (home, sign-in, …)', []],
  ['a page with islands (a date field)', bundle],
];
console.log(`  ${'WASM + JS of a page of'.padEnd(44)} files    raw KiB  gzip -9  brotli`);
for (const [name, files] of groups) {
  const t = total(files);
  console.log(`  ${name.padEnd(44)} ${String(files.length).padStart(5)} ${kib(t.raw)} ${kib(t.gz)}   ${kib(t.br)}`);
}
const css = sizes(named('awn', 'css'));
console.log(`  ${'CSS (every page)'.padEnd(44)} ${'1'.padStart(5)} ${kib(css.raw)} ${kib(css.gz)}   ${kib(css.br)}`);
