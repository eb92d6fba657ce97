import { useToasts } from '../stores/context';
import './toasts.css';

/** In-app alerts (budget alerts in the browser; Electron also shows them as OS notifications). */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast--${toast.kind}`} data-testid="toast" data-kind={toast.kind}>
          <div className="toast__text">
            <strong className="toast__title">{toast.title}</strong>
            <span className="toast__body">{toast.body}</span>
          </div>
          <button type="button" className="toast__close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
