import { callSafely, getLogger, type RuntimeLogger } from './logger.js';
import { detectMemoryLimit, heapLimitBytes, type MemoryLimit } from './memory-limit.js';
import { registerMetricSource, type MetricsCollector, type MetricSource } from './metrics.js';
import { Float64Ring } from './ring-buffer.js';
import { analyzeTrend, blockMinima, timeToLimit, type TrendResult } from './trend.js';

/** How close memory is to its limits. */
export type MemoryLevel = 'healthy' | 'warning' | 'critical';

/** One reading of `process.memoryUsage()`, in bytes, with its time (ms since the epoch). */
export interface MemorySample {
  time: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/** Warning and critical levels, as fractions of a limit (0.7 = 70 %). */
export interface LevelThresholds {
  warning?: number;
  critical?: number;
}

/** Thresholds of {@link monitorMemory}. */
export interface MemoryThresholds {
  /** RSS as a fraction of the memory limit. Default 0.70 / 0.85. */
  rss?: LevelThresholds;
  /** Used heap as a fraction of V8's heap limit. Default 0.70 / 0.85. */
  heapUsed?: LevelThresholds;
}

/** Options of the leak-trend detection. */
export interface MemoryTrendOptions {
  /** Significance level of the Mann–Kendall test. Default 0.01. */
  alpha?: number;
  /** Samples needed before any trend verdict (also a warm-up period). Default min(30, windowSize). */
  minSamples?: number;
  /**
   * A significant rise is reported as a suspected leak only when, at that rate, the limit
   * would be reached within this time. Default 12 hours. Shorter means fewer, later alerts.
   */
  horizonMs?: number;
  /**
   * Samples taken before the process has run this long are left out of the trend (not of the
   * thresholds): at startup, memory grows for good reasons — code being compiled, caches and
   * pools filling — and that growth is not a leak. Default 300 000 ms (5 minutes of uptime).
   */
  warmupMs?: number;
}

/** Options of {@link monitorMemory}. */
export interface MonitorMemoryOptions {
  /** Sampling period. Default 10 000 ms. */
  intervalMs?: number;
  /** Samples kept (the trend window). Default 120 (20 minutes at the default interval); 8 to 1000. */
  windowSize?: number;
  /** The memory limit in bytes, when you know it better than {@link detectMemoryLimit}. */
  limitBytes?: number;
  /** The heap limit in bytes. Default: V8's `heap_size_limit`. */
  heapLimitBytes?: number;
  thresholds?: MemoryThresholds;
  trend?: MemoryTrendOptions;
  /**
   * Called when the level changes (up, or back to healthy) and when a leak becomes suspected.
   * Default: one line through the logger for each.
   */
  onAlert?: (alert: MemoryAlert) => void;
  /** Logger for the default `onAlert` and for errors thrown by `onAlert`. Default: {@link setLogger}'s. */
  logger?: RuntimeLogger;
  /** Reads memory. Default `process.memoryUsage`; replaceable for tests and simulations. */
  readMemory?: () => Omit<MemorySample, 'time'>;
  /** Clock in ms since the epoch. Default: monotonic, `performance.timeOrigin + performance.now()`. */
  now?: () => number;
}

/** The trend of one memory series over the window. */
export interface MemoryTrend {
  series: 'rss' | 'heapUsed';
  /** Statistics of the analysed points (for `heapUsed`: the floor of the GC sawtooth). Slopes per ms. */
  result: TrendResult;
  /** Theil–Sen slope and its confidence interval, in bytes per second. */
  bytesPerSecond: number;
  bytesPerSecondLow: number;
  bytesPerSecondHigh: number;
  /** The limit the series is compared with (memory limit for RSS, heap limit for the heap). */
  limitBytes: number;
  /** Seconds until the limit at the fitted rate (`Infinity` when not rising), with a range from the slope's interval. */
  secondsToLimit: { estimate: number; earliest: number; latest: number };
  /** Rising significantly, and the limit would be reached within the horizon. */
  leakSuspected: boolean;
}

/** The monitor's current reading. */
export interface MemoryStatus {
  level: MemoryLevel;
  /** Why the level is not healthy, one line per threshold crossed. */
  reasons: string[];
  /** The latest sample (undefined after `stop()`). */
  sample: MemorySample | undefined;
  limit: MemoryLimit;
  heapLimitBytes: number;
  /** RSS / memory limit, and used heap / heap limit, of the latest sample. */
  rssRatio: number;
  heapRatio: number;
  trend: { rss: MemoryTrend | undefined; heapUsed: MemoryTrend | undefined };
  leakSuspected: boolean;
  /** Samples in the window. */
  samples: number;
}

/** What `onAlert` receives. */
export interface MemoryAlert {
  /** `level`: the level changed; `leak`: a series started to look like a leak. */
  type: 'level' | 'leak';
  level: MemoryLevel;
  previousLevel: MemoryLevel;
  /** For `leak`: the series that rises. */
  trend?: MemoryTrend;
  status: MemoryStatus;
  /** A sentence for logs. */
  message: string;
}

/** A running memory monitor. */
export interface MemoryMonitor {
  /** The reading as of the latest sample. */
  status(): MemoryStatus;
  /** Takes a sample now (besides the timer's) and returns the new reading: handy in a health check. */
  sampleNow(): MemoryStatus;
  /** The samples in the window, oldest first. */
  samples(): MemorySample[];
  /** Stops the timer and releases the samples and the metrics registration. Idempotent. */
  stop(): void;
  readonly running: boolean;
}

const COLUMNS = ['time', 'rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const;
const LEVEL_NUMBER: Record<MemoryLevel, number> = { healthy: 0, warning: 1, critical: 2 };

/**
 * Samples `process.memoryUsage()` every `intervalMs` into a fixed-size window, compares RSS
 * with the process's memory limit (cgroup, Heroku dyno, or given) and the used heap with V8's
 * heap limit, and watches both for a leak: a statistically significant rise (Theil–Sen slope,
 * Mann–Kendall test corrected for autocorrelation; the heap's post-GC floor, not its
 * sawtooth) that would reach the limit within the horizon. See `docs/runtime.md` for what the
 * verdict means and does not mean.
 *
 * The timer is `unref()`'d (an idle process still exits) and the memory used is fixed by
 * `windowSize`. While running, the monitor's gauges are part of `toPrometheus()`.
 *
 * @example
 * ```ts
 * const monitor = monitorMemory({
 *   intervalMs: 15_000,
 *   onAlert: (alert) => logger.warn({ memory: alert.status }, alert.message),
 * });
 * app.get('/health', (req, res) => res.json(monitor.sampleNow()));
 * onShutdown(() => monitor.stop());
 * ```
 */
export function monitorMemory(options: MonitorMemoryOptions = {}): MemoryMonitor {
  return new MemoryMonitorImpl(options);
}

class MemoryMonitorImpl implements MemoryMonitor, MetricSource {
  #intervalMs: number;
  #windowSize: number;
  #limit: MemoryLimit;
  #heapLimit: number;
  #thresholds: Required<{ [K in keyof MemoryThresholds]: Required<LevelThresholds> }>;
  #alpha: number;
  #minSamples: number;
  #horizonMs: number;
  // Samples before this time (on the monitor's clock) are warm-up, left out of the trend.
  #trendFrom: number;
  #onAlert: (alert: MemoryAlert) => void;
  #logger: RuntimeLogger;
  #readMemory: () => Omit<MemorySample, 'time'>;
  #now: () => number;
  #columns: Record<(typeof COLUMNS)[number], Float64Ring> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #unregister: (() => void) | undefined;
  #status: MemoryStatus;
  // Series in a leak episode → samples in a row since they last looked like a leak.
  #leakSeries = new Map<MemoryTrend['series'], number>();

  constructor(options: MonitorMemoryOptions) {
    this.#intervalMs = positive(options.intervalMs ?? 10_000, 'intervalMs');
    this.#windowSize = Math.min(1000, Math.max(8, Math.floor(options.windowSize ?? 120)));
    this.#limit = detectMemoryLimit(options.limitBytes === undefined ? {} : { limitBytes: options.limitBytes });
    this.#heapLimit = options.heapLimitBytes ?? heapLimitBytes();
    this.#thresholds = {
      rss: { warning: options.thresholds?.rss?.warning ?? 0.7, critical: options.thresholds?.rss?.critical ?? 0.85 },
      heapUsed: { warning: options.thresholds?.heapUsed?.warning ?? 0.7, critical: options.thresholds?.heapUsed?.critical ?? 0.85 },
    };
    this.#alpha = options.trend?.alpha ?? 0.01;
    this.#minSamples = Math.max(4, Math.min(this.#windowSize, options.trend?.minSamples ?? 30));
    this.#horizonMs = options.trend?.horizonMs ?? 12 * 60 * 60 * 1000;
    this.#logger = options.logger ?? getLogger();
    this.#onAlert = options.onAlert ?? ((alert) => this.#logger.warn(alert.message));
    this.#readMemory = options.readMemory ?? (() => process.memoryUsage());
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
    const warmupLeft = Math.max(0, (options.trend?.warmupMs ?? 300_000) - process.uptime() * 1000);
    this.#trendFrom = this.#now() + warmupLeft;
    const capacity = this.#windowSize;
    this.#columns = {
      time: new Float64Ring(capacity),
      rss: new Float64Ring(capacity),
      heapUsed: new Float64Ring(capacity),
      heapTotal: new Float64Ring(capacity),
      external: new Float64Ring(capacity),
      arrayBuffers: new Float64Ring(capacity),
    };
    this.#status = this.#emptyStatus();
    this.#unregister = registerMetricSource(this);
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), this.#intervalMs);
    this.#timer.unref();
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  status(): MemoryStatus {
    return this.#status;
  }

  sampleNow(): MemoryStatus {
    if (this.#columns) this.#sample();
    return this.#status;
  }

  samples(): MemorySample[] {
    const columns = this.#columns;
    if (!columns) return [];
    const data = COLUMNS.map((name) => columns[name].toArray());
    return Array.from({ length: columns.time.size }, (_, i) => ({
      time: data[0]![i]!,
      rss: data[1]![i]!,
      heapUsed: data[2]![i]!,
      heapTotal: data[3]![i]!,
      external: data[4]![i]!,
      arrayBuffers: data[5]![i]!,
    }));
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unregister?.();
    this.#unregister = undefined;
    this.#columns = undefined;
    this.#leakSeries.clear();
    this.#status = this.#emptyStatus();
  }

  collect(collector: MetricsCollector): void {
    const status = this.#status;
    collector.gauge('leakhound_memory_limit_bytes', { source: status.limit.source }, status.limit.bytes);
    collector.gauge('leakhound_heap_limit_bytes', {}, status.heapLimitBytes);
    collector.gauge('leakhound_memory_status', {}, LEVEL_NUMBER[status.level]);
    for (const trend of [status.trend.rss, status.trend.heapUsed]) {
      if (!trend) continue;
      const series = trend.series === 'rss' ? 'rss' : 'heap_used';
      collector.gauge('leakhound_memory_growth_bytes_per_second', { series }, trend.bytesPerSecond);
      collector.gauge('leakhound_memory_seconds_to_limit', { series }, trend.secondsToLimit.estimate);
      collector.gauge('leakhound_memory_leak_suspected', { series }, trend.leakSuspected ? 1 : 0);
    }
  }

  #sample(): void {
    const columns = this.#columns;
    if (!columns) return;
    const usage = this.#readMemory();
    columns.time.push(this.#now());
    columns.rss.push(usage.rss);
    columns.heapUsed.push(usage.heapUsed);
    columns.heapTotal.push(usage.heapTotal);
    columns.external.push(usage.external);
    columns.arrayBuffers.push(usage.arrayBuffers);
    const previous = this.#status;
    const status = this.#evaluate(columns);
    this.#status = status;
    if (status.level !== previous.level) {
      this.#alert({
        type: 'level',
        level: status.level,
        previousLevel: previous.level,
        status,
        message:
          status.level === 'healthy'
            ? `memory is healthy again (was ${previous.level})`
            : `memory ${status.level}: ${status.reasons.join('; ')}`,
      });
    }
    for (const trend of [status.trend.rss, status.trend.heapUsed]) {
      if (!trend) continue;
      // One alert per episode. A verdict near the edge of significance can flicker from one
      // sample to the next, so an episode ends only after half a window without suspicion.
      const quiet = this.#leakSeries.get(trend.series);
      if (!trend.leakSuspected) {
        if (quiet !== undefined && quiet + 1 >= this.#windowSize / 2) this.#leakSeries.delete(trend.series);
        else if (quiet !== undefined) this.#leakSeries.set(trend.series, quiet + 1);
        continue;
      }
      this.#leakSeries.set(trend.series, 0);
      if (quiet !== undefined) continue;
      this.#alert({ type: 'leak', level: status.level, previousLevel: previous.level, trend, status, message: describeLeak(trend) });
    }
  }

  #alert(alert: MemoryAlert): void {
    callSafely(this.#logger, 'memory monitor onAlert', this.#onAlert, alert);
  }

  #evaluate(columns: Record<(typeof COLUMNS)[number], Float64Ring>): MemoryStatus {
    const time = columns.time.latest()!;
    const sample: MemorySample = {
      time,
      rss: columns.rss.latest()!,
      heapUsed: columns.heapUsed.latest()!,
      heapTotal: columns.heapTotal.latest()!,
      external: columns.external.latest()!,
      arrayBuffers: columns.arrayBuffers.latest()!,
    };
    const rssRatio = sample.rss / this.#limit.bytes;
    const heapRatio = sample.heapUsed / this.#heapLimit;
    const reasons: string[] = [];
    let level: MemoryLevel = 'healthy';
    const check = (ratio: number, thresholds: Required<LevelThresholds>, what: string, limitText: string) => {
      const crossed = ratio >= thresholds.critical ? 'critical' : ratio >= thresholds.warning ? 'warning' : undefined;
      if (!crossed) return;
      if (LEVEL_NUMBER[crossed] > LEVEL_NUMBER[level]) level = crossed;
      reasons.push(`${what} is ${percent(ratio)} of ${limitText} (${crossed} at ${percent(thresholds[crossed])})`);
    };
    check(rssRatio, this.#thresholds.rss, `RSS ${megabytes(sample.rss)}`, `the ${megabytes(this.#limit.bytes)} memory limit (${this.#limit.source})`);
    check(heapRatio, this.#thresholds.heapUsed, `used heap ${megabytes(sample.heapUsed)}`, `the ${megabytes(this.#heapLimit)} heap limit`);
    const allTimes = columns.time.toArray();
    // Leave out the warm-up samples (the window is in time order, so they are a prefix).
    let first = 0;
    while (first < allTimes.length && allTimes[first]! < this.#trendFrom) first++;
    const times = allTimes.subarray(first);
    const rssTrend = this.#trend('rss', times, columns.rss.toArray().subarray(first), this.#limit.bytes, time);
    // The heap is judged by the floor of its GC sawtooth (block minima), see blockMinima().
    const floor = blockMinima(times, columns.heapUsed.toArray().subarray(first), Math.max(1, Math.floor(times.length / 15)));
    const heapTrend = this.#trend('heapUsed', floor.times, floor.values, this.#heapLimit, time, times.length);
    return {
      level,
      reasons,
      sample,
      limit: this.#limit,
      heapLimitBytes: this.#heapLimit,
      rssRatio,
      heapRatio,
      trend: { rss: rssTrend, heapUsed: heapTrend },
      leakSuspected: Boolean(rssTrend?.leakSuspected || heapTrend?.leakSuspected),
      samples: allTimes.length,
    };
  }

  #trend(series: MemoryTrend['series'], times: ArrayLike<number>, values: ArrayLike<number>, limitBytes: number, now: number, samples = times.length): MemoryTrend | undefined {
    if (samples < this.#minSamples || times.length < 4) return undefined;
    const result = analyzeTrend(times, values, { alpha: this.#alpha, minSamples: 4 });
    const toLimit = timeToLimit(result, now, limitBytes);
    const secondsToLimit = { estimate: toLimit.estimate / 1000, earliest: toLimit.earliest / 1000, latest: toLimit.latest / 1000 };
    return {
      series,
      result,
      bytesPerSecond: result.slope * 1000,
      bytesPerSecondLow: result.slopeLow * 1000,
      bytesPerSecondHigh: result.slopeHigh * 1000,
      limitBytes,
      secondsToLimit,
      leakSuspected: result.direction === 'rising' && secondsToLimit.estimate * 1000 <= this.#horizonMs,
    };
  }

  #emptyStatus(): MemoryStatus {
    return {
      level: 'healthy',
      reasons: [],
      sample: undefined,
      limit: this.#limit,
      heapLimitBytes: this.#heapLimit,
      rssRatio: 0,
      heapRatio: 0,
      trend: { rss: undefined, heapUsed: undefined },
      leakSuspected: false,
      samples: 0,
    };
  }
}

function describeLeak(trend: MemoryTrend): string {
  const what = trend.series === 'rss' ? 'RSS' : 'the heap after garbage collection';
  const eta = trend.secondsToLimit;
  return (
    `possible memory leak: ${what} grows by ${megabytes(trend.bytesPerSecond * 3600)}/h ` +
    `(95% CI ${megabytes(trend.bytesPerSecondLow * 3600)}–${megabytes(trend.bytesPerSecondHigh * 3600)}/h, p=${trend.result.pValue.toExponential(1)}); ` +
    `at this rate it reaches its ${megabytes(trend.limitBytes)} limit in ${duration(eta.estimate)} (between ${duration(eta.earliest)} and ${duration(eta.latest)})`
  );
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

function megabytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return bytes > 0 ? '∞ MB' : '-∞ MB';
  return `${(bytes / (1024 * 1024)).toFixed(bytes >= 100 * 1024 * 1024 || bytes <= -100 * 1024 * 1024 ? 0 : 1)} MB`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}
