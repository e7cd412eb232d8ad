#!/usr/bin/env node
/**
 * Draws the add-in's ribbon and add-in icons as real PNGs with nothing but Node's zlib:
 * vector shapes in unit coordinates, 4x4 supersampled, written as 8-bit RGBA PNGs.
 *   node assets/make-icons.js      (writes assets/*.png)
 */
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// Shapes: functions (x, y) -> inside? in unit coordinates, y down.
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const frame = (x0, y0, x1, y1, t) => (x, y) =>
  rect(x0, y0, x1, y1)(x, y) && !rect(x0 + t, y0 + t, x1 - t, y1 - t)(x, y);
const tri = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = s(ax, ay, bx, by);
  const d2 = s(bx, by, cx, cy);
  const d3 = s(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};
const line = (ax, ay, bx, by, w) => (x, y) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (w / 2) ** 2;
};
const any =
  (...fs) =>
  (x, y) =>
    fs.some((f) => f(x, y));

const GREEN = [0x21, 0x73, 0x46];
const WHITE = [0xff, 0xff, 0xff];

const GLYPHS = {
  // The add-in: a crate (inventory) and a ledger line.
  icon: any(
    frame(0.2, 0.36, 0.58, 0.78, 0.08),
    line(0.2, 0.5, 0.58, 0.5, 0.06),
    rect(0.66, 0.24, 0.8, 0.78)
  ),
  // Post Cost to G/L: crate -> arrow.
  post: any(
    frame(0.14, 0.4, 0.5, 0.8, 0.08),
    line(0.14, 0.54, 0.5, 0.54, 0.06),
    line(0.52, 0.34, 0.76, 0.34, 0.1),
    tri(0.72, 0.2, 0.9, 0.34, 0.72, 0.48)
  ),
  // Test report: a page with lines and a check mark.
  test: any(
    frame(0.22, 0.14, 0.78, 0.86, 0.07),
    line(0.33, 0.32, 0.67, 0.32, 0.06),
    line(0.33, 0.46, 0.67, 0.46, 0.06),
    line(0.34, 0.66, 0.45, 0.76, 0.09),
    line(0.45, 0.76, 0.68, 0.56, 0.09)
  ),
  // Show task pane: a window with its right pane filled.
  pane: any(frame(0.14, 0.2, 0.86, 0.8, 0.07), rect(0.56, 0.2, 0.86, 0.8)),
};

function draw(size, glyph) {
  const out = Buffer.alloc(size * size * 4);
  const bg = roundRect(0.04, 0.04, 0.96, 0.96, 0.18);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let a = 0;
      let w = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          if (bg(x, y)) {
            a++;
            if (glyph(x, y)) w++;
          }
        }
      }
      const i = (py * size + px) * 4;
      const f = a ? w / a : 0;
      for (let k = 0; k < 3; k++) out[i + k] = Math.round(GREEN[k] * (1 - f) + WHITE[k] * f);
      out[i + 3] = Math.round((255 * a) / (S * S));
    }
  }
  return png(size, out);
}

const dir = __dirname;
const files = [];
for (const [name, glyph] of Object.entries(GLYPHS)) {
  const sizes = name === "icon" ? [16, 32, 64, 80, 128] : [16, 32, 80];
  for (const size of sizes) {
    const file = path.join(dir, `${name}-${size}.png`);
    fs.writeFileSync(file, draw(size, glyph));
    files.push(path.basename(file));
  }
}
console.log(`wrote ${files.join(", ")}`);
