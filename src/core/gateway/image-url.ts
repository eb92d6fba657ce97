import { GatewayError } from './gateway-error';

const DATA_URL = /^data:(image\/[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)$/;
const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/**
 * An image URL as OpenAI takes it (`https://…` or `data:image/png;base64,…`) → the spec's image
 * part fields. An http URL is passed on as a URL (the provider fetches it); its media type is a
 * guess from the extension, JPEG when there is none.
 */
export function parseImageUrl(url: string, param: string): { mediaType: string; data: string } | { mediaType: string; url: string } {
  if (url.startsWith('data:')) {
    const match = DATA_URL.exec(url);
    if (match === null) {
      throw new GatewayError({ code: 'invalid_request', param, message: `${param}: expected a base64 image data URL such as data:image/png;base64,…` });
    }
    return { mediaType: (match[1] ?? '').toLowerCase(), data: (match[2] ?? '').replace(/\s+/g, '') };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewayError({ code: 'invalid_request', param, message: `${param}: expected an http(s) URL or a data URL` });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new GatewayError({ code: 'invalid_request', param, message: `${param}: expected an http(s) URL or a data URL, not ${parsed.protocol}` });
  }
  const extension = /\.([a-z0-9]+)$/i.exec(parsed.pathname)?.[1]?.toLowerCase();
  return { mediaType: (extension && EXTENSION_TYPES[extension]) || 'image/jpeg', url };
}
