// The accounts domain's public face: other domains, routes and scripts import from here, never from the files beside it.
export {
  changePasswordForm,
  forgotPasswordForm,
  loginForm,
  resetPasswordByCodeForm,
  resetPasswordForm,
  retryMessage,
  signUpForm,
  switchForm,
} from './forms'
