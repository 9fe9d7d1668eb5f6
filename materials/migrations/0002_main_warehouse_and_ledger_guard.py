from django.db import migrations

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION materials_stockmove_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the stock ledger is append-only: write a correcting move instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER materials_stockmove_append_only
    BEFORE UPDATE OR DELETE ON materials_stockmove
    FOR EACH ROW EXECUTE FUNCTION materials_stockmove_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS materials_stockmove_append_only ON materials_stockmove;
DROP FUNCTION IF EXISTS materials_stockmove_append_only();
"""


def create_main(apps, schema_editor):
    Warehouse = apps.get_model("materials", "Warehouse")
    Location = apps.get_model("materials", "Location")
    main, _ = Warehouse.objects.get_or_create(code="MAIN", defaults={"name": "Main warehouse"})
    for kind in ("usable", "quarantine"):
        Location.objects.get_or_create(warehouse=main, kind=kind)


def guard_ledger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def unguard_ledger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("materials", "0001_initial")]

    operations = [
        migrations.RunPython(create_main, migrations.RunPython.noop),
        migrations.RunPython(guard_ledger, unguard_ledger),
    ]
