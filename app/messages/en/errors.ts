import type { errors as zh } from '../zh/errors'

// English of zh/errors.ts: every key of the Chinese module and no other (the typecheck enforces it).
export const errors: Record<keyof typeof zh, string> = {
  'error.400.title': 'Bad request',
  'error.400.hint': 'This request could not be understood. Go back and try again.',
  'error.401.title': 'Please log in',
  'error.401.hint': 'You need to log in to see this page.',
  'error.403.title': 'No access',
  'error.403.hint':
    'Your account, or the organisation you act for, may not see this page. Switch organisation, or log in with another account.',
  'error.404.title': 'Page not found',
  'error.404.hint': 'The link may be wrong, or what it pointed to has been removed.',
  'error.405.title': 'Not allowed',
  'error.405.hint': 'This page does not accept that kind of request.',
  'error.413.title': 'Too large',
  'error.413.hint': 'What you sent is too large. Send less and try again.',
  'error.415.title': 'Unreadable submission',
  'error.415.hint': 'Please submit through the form on the page.',
  'error.429.title': 'Too many requests',
  'error.429.hint': 'Please wait a moment and try again.',
  'error.500.title': 'Something went wrong',
  'error.500.hint': 'Please try again later.',
  'error.detail': 'Reason: {detail}',
  'error.backHome': 'Back to the home page',
  'error.signIn': 'Log in',
  'error.signInOther': 'Log in with another account',
  'error.switchOrganization': 'Switch the organisation you act for',
  'error.ways': 'What you can do',
}
