export {
  createDownloadManager,
  DownloadJobError,
  formatBytes,
  sourceKey,
  type DownloadManager,
  type DownloadManagerOptions,
  type HubFileInfo,
  type OllamaPullEvents,
  type RetryPolicy,
} from './download-manager';
export { DownloadFailure, isConnectionRefused, type FailureDetail } from './download-errors';
export { DISK_RESERVE_BYTES, statfsFreeSpace, type FreeSpaceProbe } from './free-space';
export { hubDestination, partPathOf, UnsafePathError } from './safe-destination';
export { STARTER_MODEL } from './starter-model';
