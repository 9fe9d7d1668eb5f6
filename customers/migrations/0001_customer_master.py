# The customer master moves from crm to its own app (issue 14): state only, same tables.

import django.db.models.deletion
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Permissions, group grants and admin history follow the models to the new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="crm", model__in=("customer", "contact", "customerphone")
    ).update(app_label="customers")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('crm', '0003_receivables'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables keep their names (crm_customer, ...): only Django's picture of
        # which app owns the models changes; the database is not touched.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Customer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                        ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('industry', models.CharField(blank=True, max_length=100, verbose_name='industry')),
                        ('region', models.CharField(blank=True, max_length=100, verbose_name='region')),
                        ('key_account', models.BooleanField(default=False, verbose_name='key customer')),
                        ('credit_limit', models.DecimalField(decimal_places=6, default=Decimal('0'), max_digits=20, verbose_name='credit limit')),
                        ('payment_terms_days', models.PositiveIntegerField(default=30, verbose_name='payment terms (days)')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('notes', models.TextField(blank=True, verbose_name='notes / preferences')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('salesperson', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='customers', to=settings.AUTH_USER_MODEL, verbose_name='salesperson')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                    ],
                    options={
                        'verbose_name': 'customer',
                        'verbose_name_plural': 'customers',
                        'db_table': 'crm_customer',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='Contact',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('title', models.CharField(blank=True, max_length=100, verbose_name='title')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('birthday', models.DateField(blank=True, null=True, verbose_name='birthday')),
                        ('notes', models.TextField(blank=True, verbose_name='notes / preferences')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='customers.customer')),
                    ],
                    options={
                        'verbose_name': 'contact',
                        'db_table': 'crm_contact',
                        'ordering': ['customer', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='CustomerPhone',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                        ('number', models.CharField(max_length=40, verbose_name='phone')),
                        ('digits', models.CharField(db_index=True, editable=False, max_length=40)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='phones', to='customers.contact')),
                        ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='phones', to='customers.customer')),
                        ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                    ],
                    options={
                        'verbose_name': 'phone number',
                        'db_table': 'crm_customerphone',
                        'ordering': ['customer', 'position', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='customer',
                    constraint=models.CheckConstraint(condition=models.Q(('code', ''), _negated=True), name='customer_code_not_blank'),
                ),
                migrations.AddConstraint(
                    model_name='customerphone',
                    constraint=models.CheckConstraint(condition=models.Q(('number', ''), _negated=True), name='phone_not_blank'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
