export { parseAllowList, checkUrl, checkAddress, isIpLiteral } from './download-guard';
export type { AllowEntry, GuardDecision, AddressDecision } from './download-guard';
export {
  DownloadError,
  DownloadRefused,
  DownloadRejected,
  DownloadTokenRejected,
  DownloadTransient,
  isRetryableDownloadError,
} from './download-errors';
export { looksLikeErrorPage } from './error-page';
export { openZoomDownload } from './zoom-download';
export type { OpenedDownload, ZoomDownloadOptions } from './zoom-download';
