import type { forms as zh } from '../zh/forms'

// English of zh/forms.ts: every key of the Chinese module and no other (the typecheck enforces it).
export const forms: Record<keyof typeof zh, string> = {
  'form.controlCharacters':
    'Remove the control characters (invisible characters often pasted in from other software)',
}
