/**
 * Reads the preload's files while the program runs: each call returns the records written
 * since the last one. A line is taken only once it is complete (the writer may be halfway
 * through it); a line that is not JSON (a process killed mid-write, a disk that filled up)
 * is counted and skipped rather than failing the run.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeRecord } from './probe-records.js';

export interface ProbeRecordsOfFile {
  file: string;
  records: ProbeRecord[];
}

export class ProbeFileReader {
  readonly #dir: string;
  readonly #offsets = new Map<string, { offset: number }>();
  #skippedLines = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Lines that could not be parsed so far. */
  get skippedLines(): number {
    return this.#skippedLines;
  }

  /** New complete records, per file. */
  readNew(): ProbeRecordsOfFile[] {
    const out: ProbeRecordsOfFile[] = [];
    let names: string[];
    try {
      names = readdirSync(this.#dir).filter((name) => name.endsWith('.ndjson'));
    } catch {
      return out;
    }
    for (const name of names.sort()) {
      const state = this.#offsets.get(name) ?? { offset: 0 };
      this.#offsets.set(name, state);
      const text = this.#readFrom(join(this.#dir, name), state);
      const records: ProbeRecord[] = [];
      for (const line of text.split('\n')) {
        if (line === '') continue;
        try {
          records.push(JSON.parse(line) as ProbeRecord);
        } catch {
          this.#skippedLines++;
        }
      }
      if (records.length > 0) out.push({ file: name, records });
    }
    return out;
  }

  #readFrom(path: string, state: { offset: number }): string {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return '';
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= state.offset) return '';
      const buffer = Buffer.alloc(size - state.offset);
      const read = readSync(fd, buffer, 0, buffer.length, state.offset);
      // Up to the last newline: the line after it may still be being written (and cutting
      // there never splits a multi-byte character).
      const end = buffer.lastIndexOf(0x0a, read - 1) + 1;
      state.offset += end;
      return buffer.subarray(0, end).toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
}
