"""The factory workbook over the API: import (multipart upload) and export (xlsx)."""

import io
import json

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api.serializers import (
    ImportRefusedSerializer,
    ImportResultSerializer,
    WorkbookUploadSerializer,
)
from reports.workbook.exporter import XLSX_CONTENT_TYPE, export_workbook
from reports.workbook.importer import import_workbook


def permission(codename: str) -> type[BasePermission]:
    class HasPermission(BasePermission):
        message = "Your role may not do this."

        def has_permission(self, request, view) -> bool:
            return bool(request.user and request.user.has_perm(codename))

    HasPermission.__name__ = f"Has_{codename.replace('.', '_')}"
    return HasPermission


class XlsxRenderer(BaseRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()  # an error answer to a client that asked for xlsx


class WorkbookImportView(APIView):
    """Import the factory workbook, all or nothing (CONTRACT.md section 1)."""

    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [IsAuthenticated, permission("erp.import_workbook")]

    @extend_schema(
        operation_id="workbook_import",
        request={"multipart/form-data": WorkbookUploadSerializer},
        responses={
            201: ImportResultSerializer,
            400: OpenApiResponse(ImportRefusedSerializer, description="Nothing was imported."),
            403: OpenApiResponse(description="Your role may not import."),
        },
        tags=["workbook"],
    )
    def post(self, request):
        upload = WorkbookUploadSerializer(data=request.data)
        if not upload.is_valid():
            # The refusal's shape (ImportRefused) always has a `detail`; the field's own
            # messages come along.
            messages = " ".join(str(m) for m in upload.errors.get("file", []))
            detail = f"No workbook was imported: {messages or 'the upload is not valid.'}"
            return Response({"detail": detail, **upload.errors}, status=status.HTTP_400_BAD_REQUEST)
        report = import_workbook(
            source=upload.validated_data["file"], user=request.user, trigger="api"
        )
        return Response(report.as_dict(), status=status.HTTP_201_CREATED)


class WorkbookExportView(APIView):
    """The whole factory as the workbook the import reads."""

    permission_classes = [IsAuthenticated, permission("erp.export_workbook")]
    renderer_classes = [JSONRenderer, XlsxRenderer]

    def handle_exception(self, exc):
        # A refusal is JSON whatever was asked for (`?format=xlsx`): its body is JSON.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        operation_id="workbook_export",
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
        tags=["workbook"],
    )
    def get(self, request):
        buffer = io.BytesIO()
        export_workbook(path_or_buffer=buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        filename = f"factory-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
