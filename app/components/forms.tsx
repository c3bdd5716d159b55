import {
  type DefaultValue,
  type FieldMetadata,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react'
import { getZodConstraint } from '@conform-to/zod/v3'
import {
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useMemo,
} from 'react'
import type { z } from 'zod'
import type { MessageKey } from '~/utils/i18n'
import { useT } from '~/utils/locale'
import { parseSubmission } from '~/utils/validation'

/**
 * The one way a page builds a form: conform's `useForm` with the form's zod schema. The browser checks the same
 * schema the action parses with (`parseSubmission`), first when a field loses focus and then on every keystroke
 * until it is right; the server decides, and its answer (`lastResult`, the action's `submission.reply()`) shows
 * the same way. The schema's constraints (required, lengths, patterns) become the inputs' attributes.
 */
export function useSchemaForm<Schema extends z.ZodTypeAny>(
  schema: Schema,
  options: {
    /** Several forms on one page need ids of their own (the default is React's useId). */
    id?: string
    lastResult?: SubmissionResult | null
    defaultValue?: DefaultValue<z.input<Schema>>
  } = {},
) {
  const constraint = useMemo(() => getZodConstraint(schema), [schema])
  return useForm<z.input<Schema>, z.output<Schema>>({
    id: options.id,
    lastResult: options.lastResult,
    defaultValue: options.defaultValue,
    constraint,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseSubmission(formData, schema),
  })
}

/**
 * Field messages are i18n keys; they are translated here, where they are shown. A message that is no key (only a
 * forged form gets one: zod's own wording) still says that the field is wrong.
 */
function useMessage() {
  const t = useT()
  return (key: string, values?: MessageValues) => t(key as MessageKey, values) || t('orgForm.error.invalid')
}

/** Values for messages with placeholders ("these codes do not exist: {codes}"), from the action's answer. */
type MessageValues = Record<string, string | number>

/** A field's (or a form's) messages, translated: what aria-describedby points at. */
export function ErrorList({
  id,
  errors,
  values,
  alert,
  className = 'mt-1 text-sm text-red-700',
}: {
  id?: string
  errors?: readonly string[] | null
  values?: MessageValues
  /** Announced when it appears: an answer about a row of a table, where focus does not move. */
  alert?: boolean
  className?: string
}) {
  const message = useMessage()
  if (!errors || errors.length === 0) return null
  return (
    <div id={id} role={alert ? 'alert' : undefined} className={className}>
      {errors.map((error) => (
        <p key={error}>{message(error, values)}</p>
      ))}
    </div>
  )
}

/**
 * What is wrong with the form as a whole (a wrong password, a wait, "correct the marked fields"), above it. `errors`
 * are the form's own messages (`formErrors` of the reply); `children`, a message with values.
 */
export function FormAlert({
  id,
  errors,
  children,
  className = '',
}: {
  id?: string
  errors?: readonly string[] | null
  children?: ReactNode
  /** Spacing around the box (it takes no space when there is nothing to say). */
  className?: string
}) {
  const message = useMessage()
  const messages = (errors ?? []).map((error) => message(error))
  if (messages.length === 0 && !children) return null
  return (
    <div
      id={id}
      role="alert"
      className={`rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800 ${className}`}
    >
      {messages.map((text) => (
        <p key={text}>{text}</p>
      ))}
      {children ? <p>{children}</p> : null}
    </div>
  )
}

type FieldProps = {
  label: ReactNode
  meta: FieldMetadata<unknown>
  hint?: ReactNode
  /** The label is read by screen readers only (a quantity next to its product's name). */
  hiddenLabel?: boolean
  /** Values for the field's messages that have placeholders. */
  messageValues?: MessageValues
}

/** `layout` replaces the default size and spacing (a narrow quantity, a monospaced list of codes). */
function controlClass(invalid: boolean, layout = 'mt-1 w-full px-3 py-2') {
  return `${layout} rounded border bg-white ${invalid ? 'border-red-600' : 'border-stone-300'}`
}

function Label({ htmlFor, hidden, children }: { htmlFor: string; hidden?: boolean; children: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className={hidden ? 'sr-only' : 'block text-sm font-medium'}>
      {children}
    </label>
  )
}

function Hint({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null
  return (
    <p id={id} className="mt-1 text-xs text-stone-500">
      {children}
    </p>
  )
}

/**
 * A labelled input with its hint and its error right below it, wired for screen readers from the field's
 * metadata: aria-invalid, and aria-describedby naming the error and the hint.
 */
export function Field({
  label,
  meta,
  hint,
  hiddenLabel,
  messageValues,
  type = 'text',
  className,
  ...input
}: FieldProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id' | 'defaultValue' | 'form' | 'type'> & {
    type?: 'text' | 'email' | 'tel' | 'password' | 'number'
  }) {
  const props = getInputProps(meta, { type, ariaDescribedBy: hint ? meta.descriptionId : undefined })
  return (
    <div>
      <Label htmlFor={meta.id} hidden={hiddenLabel}>
        {label}
      </Label>
      <input {...props} {...input} className={controlClass(Boolean(meta.errors), className)} />
      <Hint id={meta.descriptionId}>{hint}</Hint>
      <ErrorList id={meta.errorId} errors={meta.errors} values={messageValues} />
    </div>
  )
}

/** A labelled textarea, wired like `Field`. */
export function TextareaField({
  label,
  meta,
  hint,
  hiddenLabel,
  messageValues,
  className,
  ...textarea
}: FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id' | 'defaultValue' | 'form'>) {
  const props = getTextareaProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined })
  return (
    <div>
      <Label htmlFor={meta.id} hidden={hiddenLabel}>
        {label}
      </Label>
      <textarea {...props} {...textarea} className={controlClass(Boolean(meta.errors), className)} />
      <Hint id={meta.descriptionId}>{hint}</Hint>
      <ErrorList id={meta.errorId} errors={meta.errors} values={messageValues} />
    </div>
  )
}

/** A labelled select, wired like `Field`; the options are its children. */
export function SelectField({
  label,
  meta,
  hint,
  hiddenLabel,
  messageValues,
  className,
  children,
  ...select
}: FieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'id' | 'form'> & { children: ReactNode }) {
  const props = getSelectProps(meta, { ariaDescribedBy: hint ? meta.descriptionId : undefined })
  return (
    <div>
      <Label htmlFor={meta.id} hidden={hiddenLabel}>
        {label}
      </Label>
      <select {...props} {...select} className={controlClass(Boolean(meta.errors), className)}>
        {children}
      </select>
      <Hint id={meta.descriptionId}>{hint}</Hint>
      <ErrorList id={meta.errorId} errors={meta.errors} values={messageValues} />
    </div>
  )
}
