import { createUniqueId, type JSX } from 'solid-js';

/** A labelled input: the label is a real <label for>, hints are tied with aria-describedby. */
export function Field(props: {
  label: string;
  type?: string;
  value: string;
  onInput: (v: string) => void;
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  autofocus?: boolean;
  minLength?: number;
}): JSX.Element {
  const id = createUniqueId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        autocomplete={props.autocomplete}
        required={props.required}
        autofocus={props.autofocus}
        minLength={props.minLength}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** Errors and notices announced to screen readers; renders nothing when empty (no reserved space jump). */
export function Notice(props: { error?: string | null; info?: string | null }): JSX.Element {
  return (
    <>
      {props.error && (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      )}
      {props.info && (
        <p class="notice info" role="status">
          {props.info}
        </p>
      )}
    </>
  );
}
