// Writing exports people open in a spreadsheet: CSV (UTF-8 with a BOM, formula-looking cells neutralised) and XLSX
// (numeric cells, a total row). Reading uploads is app/services/spreadsheets' job.
export { type CsvCell, neutraliseCell, toCsv } from './csv'
export { toXlsx, type XlsxCell, type XlsxColumn } from './xlsx.server'
