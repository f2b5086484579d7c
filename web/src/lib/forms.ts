import { useState } from 'react';

type TextKeys<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T] & string;

/** A form's state; `bind('email')` gives an input, select or textarea its name, value and onChange. */
export function useFormState<T extends object>(initial: T | (() => T)) {
  const [form, setForm] = useState<T>(initial);
  const bind = <K extends TextKeys<T>>(key: K) => ({
    name: key,
    value: form[key] as string,
    onChange: (event: { target: { value: string } }) => setForm((current) => ({ ...current, [key]: event.target.value })),
  });
  return { form, setForm, bind };
}
