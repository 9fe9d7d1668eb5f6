"""CSV and Excel answers for the report endpoints (`?format=csv`, `?format=xlsx`): the same
rows and writers as `export_report`. An error answer stays JSON."""

import json

from rest_framework.renderers import BaseRenderer

from reports.exports import REPORTS, to_csv, to_xlsx
from reports.workbook.exporter import XLSX_CONTENT_TYPE


class _ReportRenderer(BaseRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        view, response = context.get("view"), context.get("response")
        if not isinstance(data, list) or response is None or response.status_code >= 400:
            if response is not None:
                response["Content-Type"] = "application/json"
            return json.dumps(data).encode()
        report = REPORTS[view.report_name]
        response["Content-Disposition"] = (
            f'attachment; filename="{view.download_name()}.{self.format}"'
        )
        return self.write(report, data)

    def write(self, report, rows) -> bytes:
        raise NotImplementedError


class CsvRenderer(_ReportRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def write(self, report, rows) -> bytes:
        return to_csv(report, rows).encode("utf-8")


class XlsxRenderer(_ReportRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def write(self, report, rows) -> bytes:
        return to_xlsx(report, rows)
