"""MRP pegging as a graph: the orders a planned order covers directly, and the planned orders
(of the same run) whose dependent demand it covers. Spelled-out pegging lists grow four-fold
per BOM level (hundreds of millions of entries on a 20,000-item factory). Planned orders
are written without database foreign-key checks (they cost more than the insert) and with
one index instead of three, with the supplier suggested for a purchase when the run was
made."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("materials", "0005_stockadjustment_decision_note"),
        ("production", "0004_plans_daily_contact"),
    ]

    operations = [
        migrations.RenameField(
            model_name="plannedorder", old_name="pegging", new_name="direct_pegging"
        ),
        migrations.AddField(
            model_name="plannedorder",
            name="pegged_to",
            field=models.JSONField(blank=True, default=list, verbose_name="for planned orders"),
        ),
        migrations.AddField(
            model_name="plannedorder",
            name="supplier",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="materials.supplier",
                verbose_name="supplier",
            ),
        ),
        migrations.AlterField(
            model_name="plannedorder",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="planned_orders",
                to="production.mrprun",
            ),
        ),
        migrations.AlterField(
            model_name="plannedorder",
            name="item",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="materials.item",
            ),
        ),
        migrations.RemoveIndex(
            model_name="plannedorder",
            name="production__run_id_4da2da_idx",
        ),
        migrations.AddIndex(
            model_name="plannedorder",
            index=models.Index(fields=["run", "kind", "item"], name="planned_run_kind_item"),
        ),
    ]
