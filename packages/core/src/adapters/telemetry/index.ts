export { createPrometheusTelemetry, type TelemetrySources } from './prometheus-telemetry';
export { ingestionObserver, timeAsk } from './taps';
