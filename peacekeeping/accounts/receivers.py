"""Django's login and logout signals, handed straight to the session services.

These signals are Django's one hook that every login path goes through (the login page,
the admin's login, `Client.login`/`force_login` in tests), so each login is tracked
however it happened. The receivers hold no logic of their own.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="peacekeeping.accounts.session_start")
def _session_start(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from peacekeeping.accounts.network import client_ip, client_user_agent
    from peacekeeping.accounts.services import user_session_start

    user_session_start(
        user=user,
        session=request.session,
        ip_address=client_ip(request),
        user_agent=client_user_agent(request),
    )


@receiver(user_logged_out, dispatch_uid="peacekeeping.accounts.session_forget")
def _session_forget(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from peacekeeping.accounts.services import user_session_forget

    user_session_forget(session_key=request.session.session_key)
