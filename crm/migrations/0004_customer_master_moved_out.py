# crm no longer owns the customer master (moved to customers; state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_customer_master_moved'),
        ('orders', '0010_customer_master_moved'),
        ('crm', '0003_receivables'),
        ('customers', '0001_customer_master'),
    ]

    operations = [
        # The tables keep their names (crm_customer, ...): only Django's picture of
        # which app owns the models changes; the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='customerphone',
                    name='contact',
                ),
                migrations.AlterField(
                    model_name='interaction',
                    name='contact',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interactions', to='customers.contact'),
                ),
                migrations.RemoveField(
                    model_name='customer',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='customer',
                    name='salesperson',
                ),
                migrations.RemoveField(
                    model_name='customer',
                    name='updated_by',
                ),
                migrations.AlterField(
                    model_name='interaction',
                    name='customer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='interactions', to='customers.customer'),
                ),
                migrations.RemoveField(
                    model_name='customerphone',
                    name='customer',
                ),
                migrations.AlterField(
                    model_name='followup',
                    name='customer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='follow_ups', to='customers.customer'),
                ),
                migrations.AlterField(
                    model_name='complaint',
                    name='customer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='customers.customer'),
                ),
                migrations.RemoveField(
                    model_name='customerphone',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='customerphone',
                    name='updated_by',
                ),
                migrations.DeleteModel(
                    name='Contact',
                ),
                migrations.DeleteModel(
                    name='Customer',
                ),
                migrations.DeleteModel(
                    name='CustomerPhone',
                ),
            ],
            database_operations=[],
        ),
    ]
