"""Receivers: each sign-in is recorded with its session; deactivating a user ends their
sessions and drops their API tokens, so that reactivating them brings neither back. Reactivating
ends them again, for a user deactivated where no signal was sent (a queryset ``update()``)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="accounts.record_sign_in")
def record_sign_in(sender, request, user, **kwargs):
    services.signed_in_session_record(user=user, session=request.session)


@receiver(user_logged_out, dispatch_uid="accounts.forget_sign_in")
def forget_sign_in(sender, request, user, **kwargs):
    if user is not None:
        services.signed_in_session_forget(session_key=request.session.session_key)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.note_whether_user_was_active")
def note_whether_user_was_active(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._was_active = None
    if raw or instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        return
    instance._was_active = sender._default_manager.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.end_sessions_of_inactive_user")
def end_sessions_of_inactive_user(sender, instance, **kwargs):
    if not instance.is_active or getattr(instance, "_was_active", None) is False:
        services.user_sessions_end(user=instance)
