# Customer links now name customers.Customer (same table; state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_customer_master"),
        ("reports", "0002_commissionpolicy"),
    ]

    operations = [
        # The tables keep their names (crm_customer, ...): only Django's picture of
        # which app owns the models changes; the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="rankingsnapshot",
                    name="customer",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="customers.customer",
                    ),
                ),
                migrations.AlterField(
                    model_name="tierchange",
                    name="customer",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tier_changes",
                        to="customers.customer",
                    ),
                ),
                migrations.AlterField(
                    model_name="tieroverride",
                    name="customer",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tier_override",
                        to="customers.customer",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
