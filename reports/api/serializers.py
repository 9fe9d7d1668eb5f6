from rest_framework import serializers


class WorkbookUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The factory workbook (.xlsx).")


class SheetCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ImportResultSerializer(serializers.Serializer):
    sheets = serializers.DictField(child=SheetCountsSerializer(), help_text="Counts per sheet.")
    seconds = serializers.FloatField()
    job = serializers.IntegerField(allow_null=True, help_text="The job run that recorded it.")


class WorkbookErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(help_text="Excel row number: the header is row 1.")
    column = serializers.CharField()
    message = serializers.CharField()


class ImportRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = WorkbookErrorSerializer(many=True, required=False)
