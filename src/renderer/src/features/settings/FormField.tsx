import type { ReactNode } from 'react';

/**
 * One labelled field of a settings form: the label's text over its control (after it, for a
 * checkbox), and this field's own error under it. Every section's forms are built from it.
 */
export function FormField(props: { label: ReactNode; children: ReactNode; wide?: boolean; check?: boolean; error?: string | null; errorTestId?: string }) {
  return (
    <div className={props.wide === true ? 'settings-field settings-grid__wide' : 'settings-field'}>
      <label className={props.check === true ? 'settings-check' : undefined}>
        {props.check === true ? props.children : props.label}
        {props.check === true ? props.label : props.children}
      </label>
      {props.error != null && (
        <p className="settings-field__error" role="alert" data-testid={props.errorTestId}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A form's own refusal (checked in the page before anything is sent), under its fields. */
export function FormProblem({ problem }: { problem: string | null }) {
  if (problem === null) return null;
  return (
    <p className="settings-error" role="alert">
      {problem}
    </p>
  );
}

/** Save and Cancel under a form. */
export function FormActions(props: { saveTestId: string; disabled: boolean; onCancel: () => void; saveLabel?: string }) {
  return (
    <div className="settings-form__actions">
      <button type="submit" className="button button--primary" data-testid={props.saveTestId} disabled={props.disabled}>
        {props.saveLabel ?? 'Save'}
      </button>
      <button type="button" className="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
