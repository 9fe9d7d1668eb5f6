"""The factory workbook page: import (administrators), export and the empty template."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from reports.forms import WorkbookUploadForm
from reports.workbook.errors import WorkbookInvalid
from reports.workbook.exporter import XLSX_CONTENT_TYPE, export_workbook, write_template
from reports.workbook.importer import import_workbook

IMPORT_PERMISSION = "erp.import_workbook"
EXPORT_PERMISSION = "erp.export_workbook"
ERRORS_SHOWN = 1000


def _require(user, *permissions: str) -> None:
    if not any(user.has_perm(p) for p in permissions):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def workbook(request):
    _require(request.user, IMPORT_PERMISSION, EXPORT_PERMISSION)
    can_import = request.user.has_perm(IMPORT_PERMISSION)
    context = {"can_import": can_import, "can_export": request.user.has_perm(EXPORT_PERMISSION)}
    if request.method == "POST":
        _require(request.user, IMPORT_PERMISSION)
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                context["report"] = import_workbook(
                    source=form.cleaned_data["file"], user=request.user, trigger="web"
                )
            except WorkbookInvalid as exc:
                context["invalid"] = exc
                context["errors"] = exc.errors[:ERRORS_SHOWN]
                context["errors_hidden"] = max(0, len(exc.errors) - ERRORS_SHOWN)
    else:
        form = WorkbookUploadForm()
    context["form"] = form
    return render(request, "reports/workbook.html", context)


@login_required
@require_GET
def workbook_export(request):
    _require(request.user, EXPORT_PERMISSION)
    return _xlsx(export_workbook, f"factory-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def workbook_template(request):
    _require(request.user, IMPORT_PERMISSION, EXPORT_PERMISSION)
    return _xlsx(write_template, "factory-workbook-template.xlsx")


def _xlsx(write, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    write(path_or_buffer=buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
