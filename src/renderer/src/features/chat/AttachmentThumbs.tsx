import { useEffect } from 'react';
import type { AttachmentRef } from '../../../../shared/domain';
import { formatBytes } from '../../../../shared/image-type';
import { useAttachmentPreviews } from '../../stores/context';

/** The images a sent question carried, fetched once per attachment id. */
export function AttachmentThumbs({ attachments }: { attachments: readonly AttachmentRef[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="thumbs" aria-label="Attached images">
      {attachments.map((ref) => (
        <li key={ref.id}>
          <StoredThumb attachment={ref} />
        </li>
      ))}
    </ul>
  );
}

function StoredThumb({ attachment }: { attachment: AttachmentRef }) {
  const preview = useAttachmentPreviews((s) => s.previews[attachment.id]);
  const load = useAttachmentPreviews((s) => s.load);
  useEffect(() => load(attachment), [attachment, load]);
  const title = `${attachment.mediaType.replace('image/', '').toUpperCase()} · ${formatBytes(attachment.size)}`;
  if (preview?.status === 'ready') {
    return <img className="thumb" data-testid="message-image" src={preview.url} alt={`Attached image (${title})`} title={title} />;
  }
  return (
    <span className="thumb thumb--placeholder" data-testid="message-image" title={preview?.status === 'error' ? preview.error : title}>
      {preview?.status === 'error' ? 'image unavailable' : 'loading…'}
    </span>
  );
}
