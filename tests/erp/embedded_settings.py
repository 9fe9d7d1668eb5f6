"""The product's own settings (erp.settings, so the embedded SQLite database with its real
OPTIONS) for tests/erp/sqlite_race.py. Only one change, for speed: the schema is created
straight from the models instead of by running every migration."""

from erp.settings import *  # noqa: F403


class _NoMigrations(dict):
    def __contains__(self, app_label) -> bool:
        return True

    def __getitem__(self, app_label):
        return None


MIGRATION_MODULES = _NoMigrations()
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
