"""The learner's notifications page (*Notifikasi*): the list, marking read, email preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.kinds import Kind

PAGE_SIZE = 30


@login_required
def notification_list(request):
    page = Paginator(selectors.for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "preferences": selectors.email_preferences(request.user)},
    )


@login_required
@require_POST
def mark_read(request, notification_id: int):
    # Another person's id (or one that does not exist) marks nothing: the same answer, nothing told.
    services.mark_read(user=request.user, notification_id=notification_id)
    return redirect("notifications")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(user=request.user)
    return redirect("notifications")


@login_required
@require_POST
def email_preferences(request):
    chosen = set(request.POST.getlist("email"))
    for kind in Kind:
        services.set_email_preference(user=request.user, kind=kind.value, email=kind.value in chosen)
    messages.success(request, _("Your email choices are saved."))
    return redirect("notifications")
