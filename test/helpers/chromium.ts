/**
 * Headless Chromium for the tests that check what a browser makes of leakhound's HTML pages.
 *
 * Where: `LEAKHOUND_CHROMIUM`, else `/usr/bin/chromium` (Debian's `chromium` package). When
 * neither exists the tests are skipped, unless `LEAKHOUND_REQUIRE_CHROMIUM=1` (CI), which turns
 * the skip into a failure so that a missing browser cannot pass unnoticed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIMEOUT_MS = 60_000;

/** The Chromium binary, or null after skipping the test (or failing it when one is required). */
export function chromiumOrSkip(t: { skip(message: string): void }): string | null {
  const binary = process.env.LEAKHOUND_CHROMIUM || '/usr/bin/chromium';
  if (existsSync(binary)) return binary;
  const why = `no Chromium at ${binary} (install Debian's chromium package or set LEAKHOUND_CHROMIUM to a Chromium binary)`;
  if (process.env.LEAKHOUND_REQUIRE_CHROMIUM === '1') assert.fail(`LEAKHOUND_REQUIRE_CHROMIUM=1 but ${why}`);
  t.skip(why);
  return null;
}

export interface ChromiumResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs headless Chromium on one page with a fresh profile and no network chatter of its own,
 * killed (with all its processes) after 60 s. `args` are the action: `--screenshot=…`,
 * `--dump-dom`.
 */
export function runChromium(binary: string, url: string, args: string[]): Promise<ChromiumResult> {
  const profile = mkdtempSync(join(tmpdir(), 'leakhound-chromium-'));
  const child = spawn(
    binary,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      `--user-data-dir=${profile}`,
      // Exact colours and pixels: sRGB, one device pixel per CSS pixel, no scrollbar.
      '--force-color-profile=srgb',
      '--force-device-scale-factor=1',
      '--hide-scrollbars',
      // The page's console goes to stderr, where an uncaught error would show.
      '--enable-logging=stderr',
      '--v=0',
      ...args,
      url,
    ],
    // Its own process group, so that the timeout ends the renderer and GPU processes too.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${TIMEOUT_MS / 1000} s]`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

/** The page's console messages and uncaught errors, from Chromium's log on stderr. */
export function consoleMessages(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /:CONSOLE[:(]/.test(line));
}
