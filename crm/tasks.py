"""Nightly jobs of the relationship layer (scheduled in erp.settings CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700)
def nightly_overdue_reminders() -> int:
    """A follow-up for the salesperson of each customer with overdue invoices (CONTRACT 8):
    the same service as `manage.py overdue_reminders`; recorded as a JobRun."""
    from crm.services.credit_reminders import run_overdue_reminders

    return run_overdue_reminders(trigger="nightly").pk


@shared_task(acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700)
def nightly_first_followups() -> int:
    """The first follow-up of customers that got a tier (after the nightly ranking); the
    same service as `manage.py first_followups`."""
    from crm.services.followups import schedule_first_followups

    return len(schedule_first_followups())


@shared_task(acks_late=True, ignore_result=True, time_limit=1800, soft_time_limit=1700)
def monthly_vip_surveys() -> int:
    """This quarter's satisfaction survey of every VIP customer (idempotent; run monthly so a
    customer who becomes VIP mid-quarter is asked too); as `manage.py send_vip_surveys`."""
    from crm.services.satisfaction import send_vip_surveys

    return len(send_vip_surveys())
