// Reading tables people upload: CSV in the encodings Chinese offices use, XLSX with its archive checked before any
// library inflates it. Writing exports is another service's job; this one only reads.
export { parseCsv, type SheetRow, type TableResult } from './csv'
export { decodeText, type DecodedText, type TextEncodingName } from './decode'
export { readXlsx, XLSX_LIMITS, type XlsxResult } from './xlsx.server'
export { checkZip, type ZipCheck } from './zip-guard'
