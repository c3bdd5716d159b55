import { useFormAction, useNavigation } from '@remix-run/react'

/**
 * Whether this route's form is being submitted (Epic Stack's `useIsPending`): true from the click until the
 * answer has been rendered, so a button can be disabled against a double submission. By default any POST to the
 * route's own action; `intent` narrows it to the form that sends that intent, `formAction` to another route's.
 * `state: 'loading'` asks only for the part after the action (or for a GET form, the loader) has answered.
 */
export function useIsPending({
  formAction,
  formMethod = 'POST',
  intent,
  state = 'non-idle',
}: {
  formAction?: string
  formMethod?: 'POST' | 'GET'
  intent?: string
  state?: 'submitting' | 'loading' | 'non-idle'
} = {}): boolean {
  const ownAction = useFormAction()
  const navigation = useNavigation()
  const inState = state === 'non-idle' ? navigation.state !== 'idle' : navigation.state === state
  return (
    inState &&
    navigation.formAction === (formAction ?? ownAction) &&
    navigation.formMethod === formMethod &&
    (intent === undefined || navigation.formData?.get('intent') === intent)
  )
}
