export { createHubClient, type HubClient, type HubFileLocation, type HubListedFile, type HubListedRepo, type RemoteGgufHeader } from './hub-client';
export { HubError } from './hub-error';
export { DEFAULT_HUB_URL, hubToken, resolveHubUrl } from './hub-url';
export { quantizationFromName } from './quantization-from-name';
