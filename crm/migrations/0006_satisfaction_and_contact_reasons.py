# Satisfaction surveys and the reason of every contact (issue 14).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def quotes_are_quotations(apps, schema_editor):
    """Contacts logged before reasons: a quote was about a quotation; the rest say other."""
    interaction = apps.get_model("crm", "Interaction")
    interaction.objects.filter(kind="quote").update(reason="quotation")


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0005_quotations'),
        ('customers', '0001_customer_master'),
        ('orders', '0010_customer_master_moved'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Survey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated at')),
                ('trigger', models.CharField(choices=[('delivery', 'after a delivery'), ('periodic', 'periodic (VIP)'), ('phone', 'phone call')], max_length=10, verbose_name='why sent')),
                ('delivery_no', models.CharField(blank=True, max_length=40, verbose_name='delivery no.')),
                ('period_start', models.DateField(blank=True, null=True, verbose_name='period')),
                ('token', models.CharField(editable=False, max_length=64, unique=True)),
                ('sent_on', models.DateField(verbose_name='sent on')),
                ('expires_on', models.DateField(verbose_name='answer by')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('channel', models.CharField(blank=True, choices=[('link', 'survey link'), ('phone', 'by phone')], max_length=10, verbose_name='answered')),
                ('respondent', models.CharField(blank=True, max_length=100, verbose_name='answered by')),
                ('quality', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='quality')),
                ('delivery', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='delivery')),
                ('service', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='service')),
                ('overall', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='overall')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=3, null=True, verbose_name='score')),
            ],
            options={
                'verbose_name': 'satisfaction survey',
                'ordering': ['-sent_on', '-id'],
            },
        ),
        migrations.AddField(
            model_name='interaction',
            name='reason',
            field=models.CharField(choices=[('order_enquiry', 'order enquiry'), ('delivery', 'delivery'), ('quality', 'quality'), ('payment', 'payment'), ('quotation', 'quotation'), ('courtesy', 'courtesy / birthday'), ('complaint', 'complaint'), ('survey', 'satisfaction survey'), ('other', 'other')], default='other', max_length=20, verbose_name='reason'),
            preserve_default=False,
        ),
        migrations.RunPython(quotes_are_quotations, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='interaction',
            index=models.Index(fields=['occurred_at', 'reason'], name='crm_interac_occurre_d58984_idx'),
        ),
        migrations.AddConstraint(
            model_name='interaction',
            constraint=models.CheckConstraint(condition=models.Q(('reason__in', ['order_enquiry', 'delivery', 'quality', 'payment', 'quotation', 'courtesy', 'complaint', 'survey', 'other'])), name='interaction_reason_known'),
        ),
        migrations.AddField(
            model_name='survey',
            name='created_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AddField(
            model_name='survey',
            name='customer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='surveys', to='customers.customer', verbose_name='customer'),
        ),
        migrations.AddField(
            model_name='survey',
            name='order',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orders.salesorder', verbose_name='customer order'),
        ),
        migrations.AddField(
            model_name='survey',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddField(
            model_name='survey',
            name='updated_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
        migrations.AddIndex(
            model_name='survey',
            index=models.Index(fields=['customer', 'answered_at'], name='crm_survey_custome_a99f8c_idx'),
        ),
        migrations.AddIndex(
            model_name='survey',
            index=models.Index(fields=['answered_at'], name='crm_survey_answere_9f2eb3_idx'),
        ),
        migrations.AddIndex(
            model_name='survey',
            index=models.Index(fields=['expires_on'], name='crm_survey_expires_5ad153_idx'),
        ),
        migrations.AddConstraint(
            model_name='survey',
            constraint=models.CheckConstraint(condition=models.Q(('quality__isnull', True), models.Q(('quality__gte', 1), ('quality__lte', 5)), _connector='OR'), name='survey_quality_1_5'),
        ),
        migrations.AddConstraint(
            model_name='survey',
            constraint=models.CheckConstraint(condition=models.Q(('delivery__isnull', True), models.Q(('delivery__gte', 1), ('delivery__lte', 5)), _connector='OR'), name='survey_delivery_1_5'),
        ),
        migrations.AddConstraint(
            model_name='survey',
            constraint=models.CheckConstraint(condition=models.Q(('service__isnull', True), models.Q(('service__gte', 1), ('service__lte', 5)), _connector='OR'), name='survey_service_1_5'),
        ),
        migrations.AddConstraint(
            model_name='survey',
            constraint=models.CheckConstraint(condition=models.Q(('overall__isnull', True), models.Q(('overall__gte', 1), ('overall__lte', 5)), _connector='OR'), name='survey_overall_1_5'),
        ),
        migrations.AddConstraint(
            model_name='survey',
            constraint=models.CheckConstraint(condition=models.Q(('answered_at__isnull', True), models.Q(('delivery__isnull', False), ('overall__isnull', False), ('quality__isnull', False), ('score__isnull', False), ('service__isnull', False)), _connector='OR'), name='survey_answered_has_scores'),
        ),
        migrations.AddConstraint(
            model_name='survey',
            constraint=models.UniqueConstraint(condition=models.Q(('trigger', 'delivery')), fields=('customer', 'delivery_no'), name='survey_one_per_delivery'),
        ),
        migrations.AddConstraint(
            model_name='survey',
            constraint=models.UniqueConstraint(condition=models.Q(('trigger', 'periodic')), fields=('customer', 'period_start'), name='survey_one_per_period'),
        ),
    ]
