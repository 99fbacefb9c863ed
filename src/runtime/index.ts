/**
 * leakhound/runtime — what a Node.js service imports to keep its database clients and its
 * memory in check in production. No dependencies (Node built-ins only), no side effects at
 * import: nothing runs until a function is called.
 *
 * - {@link shared}: one client per key per process, surviving hot reloads.
 * - {@link onShutdown} / {@link disconnectShared}: graceful shutdown on SIGTERM, SIGINT, beforeExit.
 * - {@link trackClients}: counts the database clients created, warns from the 2nd one.
 * - {@link monitorMemory}: memory against the container limit, with a statistical leak trend.
 * - {@link queryMetrics} / {@link watchPool}: bounded query, transaction and pool metrics.
 * - {@link toPrometheus}, {@link registerPromClientMetrics}, {@link registerOpenTelemetryMetrics}: export.
 *
 * Guide: docs/runtime.md.
 *
 * @packageDocumentation
 */
export { shared, peekShared, hasShared, sharedKeys, forgetShared, disconnectShared } from './shared.js';
export type { DisconnectSharedOptions, DisconnectedShared } from './shared.js';
export { onShutdown, shutdown, configureShutdown, isShuttingDown } from './shutdown.js';
export type { ShutdownCloser, ShutdownContext, ShutdownReason, OnShutdownOptions, ShutdownConfig, ShutdownReport, CloserOutcome } from './shutdown.js';
export { trackClients, trackClient, trackedClients } from './track-clients.js';
export type { ClientTracker, TrackClientsOptions, TrackedClient, ClientEvent, TooManyClients } from './track-clients.js';
export { CLIENT_LIBRARIES, detectClient } from './client-libraries.js';
export type { ClientLibrary } from './client-libraries.js';
export { monitorMemory } from './monitor-memory.js';
export type { MemoryMonitor, MonitorMemoryOptions, MemoryStatus, MemorySample, MemoryAlert, MemoryLevel, MemoryThresholds, LevelThresholds, MemoryTrend, MemoryTrendOptions } from './monitor-memory.js';
export { detectMemoryLimit, heapLimitBytes } from './memory-limit.js';
export type { MemoryLimit, MemoryLimitSource, DetectMemoryLimitOptions } from './memory-limit.js';
export { analyzeTrend, theilSen, blockMinima, timeToLimit, normalCdf, normalQuantile } from './trend.js';
export type { TrendOptions, TrendResult } from './trend.js';
export { RingBuffer, Float64Ring } from './ring-buffer.js';
export { queryMetrics } from './query-metrics.js';
export type { QueryMetrics, QueryMetricsOptions, QueryMetricsSnapshot, SlowQuery, DurationStats, TransactionKind } from './query-metrics.js';
export type { PrismaMetricsExtension } from './prisma-extension.js';
export type { AdapterFactoryLike } from './prisma-adapter.js';
export { watchPool, poolStats } from './pool-metrics.js';
export type { PoolStats, PoolLike } from './pool-metrics.js';
export { collectMetrics, METRIC_DEFINITIONS, DURATION_BUCKETS_SECONDS } from './metrics.js';
export type { MetricFamily, MetricSample, HistogramSample, MetricName, CollectOptions } from './metrics.js';
export { toPrometheus, formatPrometheus, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
export { registerPromClientMetrics, registerOpenTelemetryMetrics } from './registry-bridge.js';
export type { PromClientLike, PromRegistryLike, PromMetricConfiguration, PromGaugeConfiguration, PromCounterConfiguration, PromGaugeLike, PromCounterLike, PromBridgeOptions, OtelMeterLike, OtelObservableLike, OtelHistogramLike } from './registry-bridge.js';
export { setLogger, getLogger } from './logger.js';
export type { RuntimeLogger } from './logger.js';
