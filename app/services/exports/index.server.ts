// Writing exports (CSV with a BOM, one-sheet XLSX with a total row). Reading uploads is app/services/spreadsheets.
export { type CsvCell, neutraliseCell, toCsv } from './csv.server'
export { toXlsx, type XlsxColumn } from './xlsx.server'
