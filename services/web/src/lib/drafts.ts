import { createSignal, type Accessor, type Setter } from 'solid-js';

/**
 * Text the person is typing, kept in sessionStorage: a session that expires mid-sentence sends them
 * to the login page, and the text is still there when they come back (even after a reload).
 */
export function draft(key: string): [Accessor<string>, Setter<string>] {
  const storageKey = `rag.draft.${key}`;
  const [value, setValue] = createSignal(sessionStorage.getItem(storageKey) ?? '');
  const set: Setter<string> = (next: string | ((prev: string) => string)) => {
    const v = setValue(next as never) as string;
    if (v) sessionStorage.setItem(storageKey, v);
    else sessionStorage.removeItem(storageKey);
    return v;
  };
  return [value, set];
}

/** Drafts shared across pages, created once. */
export const loginEmail = draft('email');
export const question = draft('question');
