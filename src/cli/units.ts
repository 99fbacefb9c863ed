/**
 * Durations and sizes as people type them on a command line: `30s`, `2m`, `500ms`, `512MB`,
 * `1.5GiB`. A mistake is a usage error that shows the accepted forms.
 */
import { UsageError } from '../errors.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** Milliseconds from `500ms`, `30s`, `2m`, `1h`; a bare number is seconds. */
export function parseDuration(raw: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const unit = match?.[2]?.toLowerCase() || 's';
  const factor = DURATION_UNITS[unit];
  const value = match ? Number(match[1]) * (factor ?? Number.NaN) : Number.NaN;
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`${flag} expects a duration, got '${raw}'`, `write it like 500ms, 30s, 2m or 1h (a bare number is seconds)`);
  return value;
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * Bytes from `512MB`, `512M`, `1.5GiB`; a bare number is megabytes (as Heroku and container
 * settings speak of memory). KB/MB/GB are read as binary units, like `docker --memory`.
 */
export function parseSize(raw: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const unit = match?.[2]?.toLowerCase() || 'mb';
  const factor = SIZE_UNITS[unit];
  const value = match ? Number(match[1]) * (factor ?? Number.NaN) : Number.NaN;
  if (!(value >= 1) || !Number.isFinite(value)) throw new UsageError(`${flag} expects a size, got '${raw}'`, 'write it like 512MB, 1.5GB or 512 (megabytes)');
  return Math.round(value);
}
