/**
 * A small PNG decoder for the browser tests' screenshots: 8-bit RGB and RGBA, not interlaced
 * (what Chromium writes). Chunks → IDAT concatenated → inflate → un-filter each row.
 * https://www.w3.org/TR/png/#9Filters
 */
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, row after row. */
  pixels: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function decodePng(file: Uint8Array): DecodedPng {
  if (!SIGNATURE.every((byte, i) => file[i] === byte)) throw new Error('not a PNG file');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Uint8Array[] = [];
  for (let offset = 8; offset + 8 <= file.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...file.subarray(offset + 4, offset + 8));
    const body = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      const [bitDepth, colorType, , , interlace] = body.subarray(8, 13);
      if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) {
        throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace} (8-bit RGB/RGBA, not interlaced, only)`);
      }
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length; // length, type, body, CRC
  }
  if (channels === 0) throw new Error('PNG without an IHDR chunk');
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new Error(`PNG data too short: ${raw.length} bytes for ${width}×${height}`);
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    const previous = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? out[i - channels]! : 0;
      const up = previous[i]!;
      const upLeft = i >= channels ? previous[i - channels]! : 0;
      out[i] = (line[i]! + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    pixels[p * 4] = rows[p * channels]!;
    pixels[p * 4 + 1] = rows[p * channels + 1]!;
    pixels[p * 4 + 2] = rows[p * channels + 2]!;
    pixels[p * 4 + 3] = channels === 4 ? rows[p * channels + 3]! : 255;
  }
  return { width, height, pixels };
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const toLeft = Math.abs(estimate - left);
      const toUp = Math.abs(estimate - up);
      const toUpLeft = Math.abs(estimate - upLeft);
      return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }
    default:
      throw new Error(`unknown PNG filter type ${filter}`);
  }
}

/** `#1f6feb` → [31, 111, 235]. */
export function hexColor(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** Pixels within `tolerance` (per channel) of `color`, inside the rectangle (default: all). */
export function countPixels(png: DecodedPng, color: [number, number, number], options: { tolerance?: number; x0?: number; y0?: number; x1?: number; y1?: number } = {}): number {
  const tolerance = options.tolerance ?? 6;
  const x1 = Math.min(png.width, options.x1 ?? png.width);
  const y1 = Math.min(png.height, options.y1 ?? png.height);
  let count = 0;
  for (let y = options.y0 ?? 0; y < y1; y++) {
    for (let x = options.x0 ?? 0; x < x1; x++) {
      const p = (y * png.width + x) * 4;
      if (Math.abs(png.pixels[p]! - color[0]) <= tolerance && Math.abs(png.pixels[p + 1]! - color[1]) <= tolerance && Math.abs(png.pixels[p + 2]! - color[2]) <= tolerance) count++;
    }
  }
  return count;
}

/** How many distinct colours the image has (capped scan of every pixel). */
export function distinctColors(png: DecodedPng): number {
  const seen = new Set<number>();
  for (let p = 0; p < png.width * png.height; p++) seen.add((png.pixels[p * 4]! << 16) | (png.pixels[p * 4 + 1]! << 8) | png.pixels[p * 4 + 2]!);
  return seen.size;
}
