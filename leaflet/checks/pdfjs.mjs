// pdf.js (Firefox's PDF engine) on PDF files, for leaflet/checks/engines.py: one Node process
// for a batch of files.
//
//   node pdfjs.mjs render DPI OUTDIR FILE...   every page as 8-bit grey, one file a page:
//                                             OUTDIR/<file index>-<page>.gray
//   node pdfjs.mjs text FILE...                every page's text (getTextContent)
//
// Prints one JSON array on stdout, an object per file: {"pages": [{"width", "height"}]
// (render) or ["page text", ...] (text), "warnings": [...], "error": null or a message}.
// pdf.js's warnings (console.warn "Warning: ...") are collected for the file being read.
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { createCanvas } from "@napi-rs/canvas";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("pdfjs-dist/package.json"));
const OPTIONS = {
  cMapUrl: join(dist, "cmaps") + "/",
  cMapPacked: true,
  standardFontDataUrl: join(dist, "standard_fonts") + "/",
  wasmUrl: join(dist, "wasm") + "/",
  iccUrl: join(dist, "iccs") + "/",
  isEvalSupported: false,
  useSystemFonts: false,  // as a fresh machine would: nothing but what the file embeds
};

let warnings = [];
console.warn = console.log = (...args) => warnings.push(args.join(" "));

async function open(file) {
  const data = new Uint8Array(await readFile(file));
  return pdfjs.getDocument({ ...OPTIONS, data }).promise;
}

async function render(doc, dpi, stem) {
  const pages = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const viewport = page.getViewport({ scale: dpi / 72 });
    const width = Math.ceil(viewport.width), height = Math.ceil(viewport.height);
    const canvas = createCanvas(width, height);
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, width, height);
    await page.render({ canvasContext: context, canvas, viewport }).promise;
    const rgba = context.getImageData(0, 0, width, height).data;
    const grey = new Uint8Array(width * height);
    for (let i = 0, j = 0; j < grey.length; i += 4, j++) {
      // ITU-R BT.601 luma, as pdftoppm -gray and mutool -c gray weigh the channels
      grey[j] = (rgba[i] * 299 + rgba[i + 1] * 587 + rgba[i + 2] * 114 + 500) / 1000;
    }
    writeFileSync(`${stem}-${number}.gray`, grey);
    pages.push({ width, height });
    page.cleanup();
  }
  return pages;
}

async function text(doc) {
  const pages = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const content = await page.getTextContent();
    // an item with hasEOL ends a line, as the viewer's text layer and copy do
    pages.push(content.items.map((item) => (item.str ?? "") + (item.hasEOL ? "\n" : "")).join(""));
    page.cleanup();
  }
  return pages;
}

async function main([command, ...args]) {
  let dpi, outdir, files;
  if (command === "render") [dpi, outdir, ...files] = [Number(args[0]), args[1], ...args.slice(2)];
  else if (command === "text") files = args;
  else throw new Error(`usage: pdfjs.mjs render DPI OUTDIR FILE... | text FILE...`);
  const results = [];
  for (const [index, file] of files.entries()) {
    warnings = [];
    let pages = [], error = null;
    try {
      const doc = await open(file);
      pages = command === "render" ? await render(doc, dpi, join(outdir, String(index)))
                                   : await text(doc);
      await doc.destroy();
    } catch (exc) {
      error = String(exc?.message ?? exc);
    }
    results.push({ pages, warnings, error });
  }
  process.stdout.write(JSON.stringify(results));
}

await main(process.argv.slice(2));
