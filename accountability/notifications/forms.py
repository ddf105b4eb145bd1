"""The form of each user's e-mail choice per kind of notification."""

from django import forms

from accountability.notifications.models import Delivery, NotificationKind


class NotificationPreferencesForm(forms.Form):
    """One choice per kind, named by the kind (notification_preferences_set's keys)."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=current.get(kind),
                widget=forms.RadioSelect,
            )
