// Messages every form shares: what the request boundary refuses in any field.
export const zh = {
  'form.controlCharacters': '请删除其中的控制字符（如从其他软件粘贴带入的不可见字符）',
} as const

export const en: Record<keyof typeof zh, string> = {
  'form.controlCharacters':
    'Remove the control characters (invisible characters often pasted in from other software)',
}
