from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

WORKBOOK_EXTENSIONS = ["xlsx", "xlsm", "xls", "ods"]


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        validators=[FileExtensionValidator(WORKBOOK_EXTENSIONS)],
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.xlsm,.xls,.ods"}
        ),
    )
