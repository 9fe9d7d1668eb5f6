from django.db import models  # noqa: F401  (reports owns no tables yet)
