import type { MessageKey } from './i18n'

/** What a refused upload (a Response thrown by readUploads) means to the person uploading, by its status. */
export function uploadRefusalKey(status: number): MessageKey {
  if (status === 413) return 'console.upload.error.tooLarge'
  if (status === 415) return 'console.upload.error.unsupported'
  return 'console.upload.error.unreadable'
}
