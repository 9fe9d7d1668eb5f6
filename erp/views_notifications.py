"""The user's in-app notifications: the list (newest first) and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from erp.models import Notification

PAGE_SIZE = 50


@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    notes = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    if unread_only:
        notes = notes.filter(read_at__isnull=True)
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else ""}
    return render(request, "erp/notifications.html", context)


@require_POST
@login_required
def notification_read(request):
    """Mark one notification (`id`) or all of the user's read; then go to `next` (the
    page the notification points at) or back to the list."""
    mine = Notification.objects.filter(user=request.user, read_at__isnull=True)
    note_id = request.POST.get("id", "")
    if note_id:
        mine = mine.filter(pk=note_id) if note_id.isdigit() else mine.none()
    mine.update(read_at=timezone.now())
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("notifications")
