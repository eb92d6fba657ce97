import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { appIconLayers, crc32, encodePng, render, trayIconLayers } from './make-icons.mjs';

/** Reads back the chunks of a PNG, checking each CRC. */
function readPng(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

describe('make-icons', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes a valid RGBA PNG whose pixels read back', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const chunks = readPng(encodePng(2, 2, rgba));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([2, 2, 8, 6]);
    const raw = inflateSync(chunks[1]!.data);
    expect([...raw]).toEqual([0, ...rgba.subarray(0, 8), 0, ...rgba.subarray(8)]);
  });

  it('draws an opaque rounded square with transparent corners, and a black-only tray mark', () => {
    const icon = render(64, appIconLayers());
    const alpha = (img: Uint8Array, size: number, x: number, y: number) => img[(y * size + x) * 4 + 3];
    expect(alpha(icon, 64, 0, 0)).toBe(0);
    expect(alpha(icon, 64, 32, 32)).toBe(255);
    const tray = render(16, trayIconLayers());
    for (let i = 0; i < tray.length; i += 4) expect([tray[i], tray[i + 1], tray[i + 2]]).toEqual([0, 0, 0]);
    expect(Math.max(...tray.filter((_, i) => i % 4 === 3))).toBe(255);
  });
});
