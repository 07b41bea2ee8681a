import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from './status.js';

/**
 * A button that asks before it acts: a modal dialog (the browser's <dialog>, so focus stays in it
 * and Escape cancels) naming what will happen; the action's error shows in the dialog.
 */
export function ConfirmButton(props: {
  label: string;
  title: string;
  children?: ComponentChildren;
  confirmLabel?: string;
  danger?: boolean;
  /** Whether the confirm button may be pressed (e.g. a valid number typed). */
  ready?: boolean;
  action: () => Promise<unknown>;
  onDone?: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [open]);
  const close = () => {
    dialog.current?.close();
    setOpen(false);
    setError(undefined);
  };
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.action();
      close();
      props.onDone?.();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class={props.danger ? 'danger' : undefined} onClick={() => setOpen(true)}>
        {props.label}
      </button>
      {open && (
        <dialog ref={dialog} onClose={close} aria-labelledby="confirm-title">
          <form
            method="dialog"
            onSubmit={(e) => {
              e.preventDefault();
              void confirm();
            }}
          >
            <h2 id="confirm-title">{props.title}</h2>
            {props.children}
            <ErrorBox error={error} />
            <div class="actions">
              <button type="button" onClick={close}>
                Cancel
              </button>
              <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={busy || props.ready === false}>
                {busy ? 'Working…' : (props.confirmLabel ?? 'Confirm')}
              </button>
            </div>
          </form>
        </dialog>
      )}
    </>
  );
}
