import type { RunFile } from './run-file.js';
export function renderRunHtml(run: RunFile): string {
  return `<!doctype html><title>${run.label.replace(/[<&]/g, '')}</title><pre>${JSON.stringify(run.summary, null, 2).replace(/[<&]/g, '')}</pre>`;
}
