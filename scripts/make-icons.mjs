#!/usr/bin/env node
// Draws the app and tray icons into resources/ as PNGs, with nothing but zlib.
// The mark: three switch tracks with their knobs set left, right and middle — a switchboard
// routing requests. Shapes are signed distance functions, so the edges are antialiased at any size.
//
//   node scripts/make-icons.mjs            writes resources/icon.png, trayTemplate.png, trayTemplate@2x.png
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

// ---- PNG ------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit RGBA PNG from `rgba` (width*height*4 bytes, straight alpha). */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // depth 8, colour type RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(rows, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- shapes (coordinates in a 0..1 box) -----------------------------------------------------

const roundedRect = (cx, cy, hw, hh, r) => (x, y) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const capsule = (x1, x2, y0, r) => (x, y) => Math.hypot(x - Math.min(Math.max(x, x1), x2), y - y0) - r;

/** The mark's rows: track y and knob x. */
const ROWS = [
  { y: 0.32, knob: 0.34 },
  { y: 0.5, knob: 0.66 },
  { y: 0.68, knob: 0.5 },
];

/**
 * Paints layers over a transparent canvas. Each layer: { shape, color: [r,g,b,a] or (x,y)=>[r,g,b,a] }.
 * Coverage comes from the distance in pixels, which antialiases every edge by one pixel.
 */
export function render(size, layers) {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const layer of layers) {
        const coverage = Math.min(Math.max(0.5 - layer.shape(x, y) * size, 0), 1);
        if (coverage === 0) continue;
        const [lr, lg, lb, la] = typeof layer.color === 'function' ? layer.color(x, y) : layer.color;
        const sa = la * coverage;
        const outA = sa + a * (1 - sa);
        if (outA > 0) {
          r = (lr * sa + r * a * (1 - sa)) / outA;
          g = (lg * sa + g * a * (1 - sa)) / outA;
          b = (lb * sa + b * a * (1 - sa)) / outA;
        }
        a = outA;
      }
      const i = (py * size + px) * 4;
      out[i] = Math.round(r);
      out[i + 1] = Math.round(g);
      out[i + 2] = Math.round(b);
      out[i + 3] = Math.round(a * 255);
    }
  }
  return out;
}

const mix = (from, to, t) => from.map((c, i) => c + (to[i] - c) * t);

/** The app icon: the mark in white on an indigo-to-violet rounded square. */
export function appIconLayers() {
  const top = [76, 110, 245];
  const bottom = [112, 72, 232];
  const layers = [
    { shape: roundedRect(0.5, 0.5, 0.44, 0.44, 0.2), color: (_x, y) => [...mix(top, bottom, (y - 0.06) / 0.88), 1] },
  ];
  for (const row of ROWS) {
    layers.push({ shape: capsule(0.24, 0.76, row.y, 0.028), color: [255, 255, 255, 0.38] });
    layers.push({ shape: circle(row.knob, row.y, 0.075), color: [255, 255, 255, 1] });
  }
  return layers;
}

/** The tray icon: the mark alone in black, a macOS template image (the OS recolours it). */
export function trayIconLayers() {
  const layers = [];
  for (const row of ROWS) {
    const y = 0.5 + (row.y - 0.5) * 1.35; // spread the rows: the tray icon has no frame
    layers.push({ shape: capsule(0.12, 0.88, y, 0.05), color: [0, 0, 0, 0.55] });
    layers.push({ shape: circle(0.5 + (row.knob - 0.5) * 1.6, y, 0.12), color: [0, 0, 0, 1] });
  }
  return layers;
}

export function makeIcons(outDir) {
  mkdirSync(outDir, { recursive: true });
  const files = [
    ['icon.png', 512, appIconLayers()],
    ['trayTemplate.png', 16, trayIconLayers()],
    ['trayTemplate@2x.png', 32, trayIconLayers()],
  ];
  for (const [name, size, layers] of files) {
    writeFileSync(join(outDir, name), encodePng(size, size, render(size, layers)));
  }
  return files.map(([name]) => join(outDir, name));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const written = makeIcons(join(dirname(fileURLToPath(import.meta.url)), '..', 'resources'));
  for (const path of written) console.log(`wrote ${path}`);
}
