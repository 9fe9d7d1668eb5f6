"""The factory workbook (CONTRACT.md section 1): one xlsx file that describes a factory.

`importer.import_workbook` loads it all-or-nothing; `exporter.export_workbook` writes the
same format back; `spec` is the single description of sheets and columns both use.
"""
