// Chinese messages every form shares: what the request boundary refuses in any field.
export const forms = {
  'form.controlCharacters': '请删除其中的控制字符（如从其他软件粘贴带入的不可见字符）',
} as const
