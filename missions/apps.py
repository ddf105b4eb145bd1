from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "missions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Who is an administrator and who must use a second factor (legal officers too):
        # the platform's accounts ask, the policy (missions/scope.py) answers.
        from missions.choices import Role
        from missions.scope import user_scope
        from peacekeeping.accounts.policy import roles_register

        roles_register(
            is_administrator=lambda user: user_scope(user).is_admin,
            # has_role: an administrator holds every role.
            is_privileged=lambda user: user_scope(user).has_role(Role.LEGAL_OFFICER),
        )

        from missions.filtersets import check_references
        from peacekeeping.querystring import register_check

        # The API's lists refuse a mission or country that does not exist, as pages do.
        register_check(check_references)
