"""Allocations (核销) are append-only on PostgreSQL, like the stock ledger: a wrong
allocation is undone by a reversal's negative row, never updated or deleted. The users
an allocation names are kept (PROTECT; SET_NULL would update the row)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION orders_allocation_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'allocations are append-only: reverse the payment instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER orders_allocation_append_only
    BEFORE UPDATE OR DELETE ON orders_allocation
    FOR EACH ROW EXECUTE FUNCTION orders_allocation_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS orders_allocation_append_only ON orders_allocation;
DROP FUNCTION IF EXISTS orders_allocation_append_only();
"""


def guard_allocations(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def unguard_allocations(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0007_return_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="allocation",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="allocation",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="updated by",
            ),
        ),
        migrations.RunPython(guard_allocations, unguard_allocations),
    ]
