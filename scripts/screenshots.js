#!/usr/bin/env node
// npm run screenshots: saves docs/img/review-page.png (the review page with a generated recording)
// and docs/img/feedback-page.png (a tutor's feedback page over six seeded sessions), taken in the
// same Chromium as the browser tests; `npm run screenshots -- feedback` takes only that one. Runs
// scripts/<page>-screenshot.ts straight from the sources (compiled in memory by @swc/core, as jest
// does; @lib/* mapped to libs/*/src).
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const lib = /^@lib\/([a-z-]+)$/.exec(request);
  return resolve.call(this, lib ? path.join(root, 'libs', lib[1], 'src') : request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const pages = ['review-page', 'feedback-page'].filter((p) => process.argv.length <= 2 || process.argv.slice(2).some((a) => p.startsWith(a)));
(async () => {
  for (const page of pages) await require(`./${page}-screenshot.ts`).main(path.join(root, 'docs', 'img', `${page}.png`));
})().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
