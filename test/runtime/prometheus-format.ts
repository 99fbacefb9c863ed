/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for the tests: it
 * rejects what a Prometheus server would reject (bad names, bad escapes, samples without a
 * TYPE, a family split in two, duplicate series, non-cumulative histograms) and returns the
 * parsed families so tests can compare values.
 */

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parsePrometheus(text: string): Map<string, ParsedFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, ParsedFamily>();
  const closed = new Set<string>();
  let current: ParsedFamily | undefined;
  const seriesSeen = new Set<string>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const where = `line ${index + 1}: ${line}`;
    if (line.startsWith('# HELP ')) {
      const match = /^# HELP (\S+) (.*)$/.exec(line);
      if (!match || !METRIC_NAME.test(match[1]!)) throw new Error(`bad HELP, ${where}`);
      if (/\\[^\\n]/.test(match[2]!.replace(/\\\\/g, ''))) throw new Error(`bad escape in HELP, ${where}`);
      current = startFamily(families, closed, current, match[1]!, where);
      current.help = unescape(match[2]!);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const match = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (!match) throw new Error(`bad TYPE, ${where}`);
      const family: ParsedFamily = current !== undefined && current.name === match[1] ? current : startFamily(families, closed, current, match[1]!, where);
      if (family.type !== '' || family.samples.length > 0) throw new Error(`TYPE must come once, before the samples, ${where}`);
      family.type = match[2]!;
      current = family;
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSample(line, where);
    if (!current || current.type === '') throw new Error(`sample without a TYPE, ${where}`);
    const allowed = current.type === 'histogram' ? [`${current.name}_bucket`, `${current.name}_sum`, `${current.name}_count`] : [current.name];
    if (!allowed.includes(sample.name)) throw new Error(`sample ${sample.name} outside its family ${current.name}, ${where}`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seriesSeen.has(key)) throw new Error(`duplicate series, ${where}`);
    seriesSeen.add(key);
    current.samples.push(sample);
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function startFamily(families: Map<string, ParsedFamily>, closed: Set<string>, current: ParsedFamily | undefined, name: string, where: string): ParsedFamily {
  if (current) closed.add(current.name);
  if (closed.has(name) || families.has(name)) throw new Error(`family ${name} appears twice, ${where}`);
  const family: ParsedFamily = { name, help: '', type: '', samples: [] };
  families.set(name, family);
  return family;
}

function parseSample(line: string, where: string): ParsedSample {
  const nameMatch = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!nameMatch) throw new Error(`bad metric name, ${where}`);
  const name = nameMatch[1]!;
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const labelMatch = /^([^=]+)="/.exec(rest);
      if (!labelMatch || !LABEL_NAME.test(labelMatch[1]!)) throw new Error(`bad label name, ${where}`);
      rest = rest.slice(labelMatch[0].length);
      let value = '';
      for (;;) {
        const char = rest[0];
        if (char === undefined) throw new Error(`unterminated label value, ${where}`);
        rest = rest.slice(1);
        if (char === '"') break;
        if (char === '\n') throw new Error(`raw newline in label value, ${where}`);
        if (char === '\\') {
          const escaped = rest[0];
          rest = rest.slice(1);
          if (escaped === '\\') value += '\\';
          else if (escaped === '"') value += '"';
          else if (escaped === 'n') value += '\n';
          else throw new Error(`bad escape \\${escaped} in label value, ${where}`);
          continue;
        }
        value += char;
      }
      if (labelMatch[1]! in labels) throw new Error(`duplicate label, ${where}`);
      labels[labelMatch[1]!] = value;
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) throw new Error(`expected , or } in labels, ${where}`);
    }
    rest = rest.slice(1);
  }
  const valueMatch = /^ (\S+)( -?\d+)?$/.exec(rest);
  if (!valueMatch) throw new Error(`bad value, ${where}`);
  const text = valueMatch[1]!;
  // Prometheus parses values with Go's strconv.ParseFloat: Inf and NaN in any letter case.
  const special = /^([+-]?)(inf|infinity)$/i.exec(text);
  const isNaN = /^nan$/i.test(text);
  const value = special ? (special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) : isNaN ? Number.NaN : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(value) && !isNaN) throw new Error(`bad value ${text}, ${where}`);
  return { name, labels, value };
}

function checkHistogram(family: ParsedFamily): void {
  const series = new Map<string, { buckets: { le: number; count: number }[]; count?: number; sum?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      entry.buckets.push({ le: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count: sample.value });
    } else if (sample.name.endsWith('_count')) entry.count = sample.value;
    else entry.sum = sample.value;
  }
  for (const [key, entry] of series) {
    const last = entry.buckets[entry.buckets.length - 1];
    if (!last || last.le !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}${key}: no +Inf bucket`);
    for (let i = 1; i < entry.buckets.length; i++) {
      if (!(entry.buckets[i]!.le > entry.buckets[i - 1]!.le)) throw new Error(`${family.name}${key}: le not increasing`);
      if (entry.buckets[i]!.count < entry.buckets[i - 1]!.count) throw new Error(`${family.name}${key}: buckets not cumulative`);
    }
    if (entry.count !== last.count) throw new Error(`${family.name}${key}: _count ${entry.count} differs from the +Inf bucket ${last.count}`);
    if (entry.sum === undefined) throw new Error(`${family.name}${key}: no _sum`);
  }
}

function unescape(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, char: string) => (char === 'n' ? '\n' : '\\'));
}

/** The value of one series, or undefined. */
export function valueOf(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const familyName = name.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(name) ?? families.get(familyName);
  const sample = family?.samples.find((candidate) => candidate.name === name && Object.entries(labels).every(([key, value]) => candidate.labels[key] === value));
  return sample?.value;
}
