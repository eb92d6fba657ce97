import type { DownloadJob } from '../../../../shared/contract';
import { formatBytes } from '../models/format';

/** `2.4 MB/s`; `—` when not known (not running, or no bytes yet). */
export function formatSpeed(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return '—';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Time left: `45 s`, `3 min 05 s`, `2 h 14 min`; `—` when unknown. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(minutes / (24 * 60))} d ${Math.floor((minutes % (24 * 60)) / 60)} h`;
}

/** Whole percent done, 0–100; null while the total is unknown. */
export function percentDone(bytes: number, total: number | null): number | null {
  if (total === null || !Number.isFinite(total) || total <= 0) return null;
  return Math.max(0, Math.min(100, Math.floor((bytes / total) * 100)));
}

/** `12.3 MB of 379 MB`, or `12.3 MB` while the total is unknown. */
export function formatProgress(bytes: number, total: number | null): string {
  return total === null ? formatBytes(bytes) : `${formatBytes(bytes)} of ${formatBytes(total)}`;
}

const STATE_LABELS: Record<DownloadJob['state'], string> = {
  queued: 'Queued',
  running: 'Downloading',
  stalled: 'Stalled, retrying',
  paused: 'Paused',
  verifying: 'Verifying checksum',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const stateLabel = (state: DownloadJob['state']): string => STATE_LABELS[state];

/** Where it comes from, in a few words: `owner/repo on the hub`, `Ollama`. */
export function describeSource(source: DownloadJob['source']): string {
  return source.kind === 'hub' ? source.repo : `Ollama${source.provider ? ` (${source.provider})` : ''}: ${source.model}`;
}
