"""The bell's unread count for the site header: one COUNT query, run only if the template shows it."""

from django.utils.functional import SimpleLazyObject


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from notifications.selectors import unread_count

    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
