// Cuts the stylesheets the theme and Sphinx extensions ship down to the rules the built book can
// use (PurgeCSS, from node_modules): every page loads the theme's stylesheet, 0.4 MB of Bootstrap
// and theme rules of which the book uses a quarter. A rule survives when its selectors name
// classes, ids and elements found in any page or script of the book; the scripts keep the classes
// they add at run time. Bootstrap builds some class names ("bs-tooltip-auto") from parts, which
// no text contains, so those are kept by pattern.
// Usage: NODE_PATH=PROJECT/node_modules node purge_styles.cjs HTML_FOLDER (bookbuild.build runs it).
"use strict";
const { readdirSync, statSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { PurgeCSS } = require("purgecss");

// The book's own stylesheet is small and written for it; nothing else is exempt.
const OWN = new Set(["kztm.css"]);

function stylesheets(folder) {
  return readdirSync(folder, { recursive: true })
    .map((name) => join(folder, name))
    .filter((path) => path.endsWith(".css") && statSync(path).isFile())
    .filter((path) => !OWN.has(path.split("/").pop()))
    .sort();
}

async function main(html) {
  const results = await new PurgeCSS().purge({
    content: [`${html}/**/*.html`, `${html}/**/*.js`],
    css: stylesheets(join(html, "_static")),
    safelist: { standard: [/^bs-/], greedy: [/^bs-/] },
  });
  let before = 0;
  let after = 0;
  for (const result of results) {
    before += statSync(result.file).size;
    writeFileSync(result.file, result.css);
    after += Buffer.byteLength(result.css);
  }
  console.log(`stylesheets: ${(before / 1e6).toFixed(2)} MB cut to ${(after / 1e6).toFixed(2)} MB`);
}

main(process.argv[2]).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
