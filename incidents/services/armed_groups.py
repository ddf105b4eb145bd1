"""The register of armed groups."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from incidents.models import ArmedGroup, ArmedGroupAlias
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError


def _name_taken(name: str, *, exclude_group: ArmedGroup | None = None) -> ArmedGroup | None:
    groups = ArmedGroup.objects.filter(name__iexact=name)
    aliases = ArmedGroupAlias.objects.filter(alias__iexact=name).select_related("armed_group")
    if exclude_group is not None:
        groups = groups.exclude(pk=exclude_group.pk)
        aliases = aliases.exclude(armed_group=exclude_group)
    group = groups.first()
    if group is not None:
        return group
    alias = aliases.first()
    return alias.armed_group if alias else None


@transaction.atomic
def armed_group_create(
    *, actor, name: str, aliases: Iterable[str] = (), description: str = ""
) -> ArmedGroup:
    """Add an armed group to the register, with the other names it is known by."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the armed group's name."), field="name")
    existing = _name_taken(name)
    if existing is not None:
        raise DomainError(
            _("“%(name)s” is already in the register, as %(existing)s.")
            % {"name": name, "existing": existing.name},
            field="name",
        )
    group = ArmedGroup.objects.create(name=name, description=description)
    audit_record(
        actor=actor,
        action="armed_group.create",
        obj=group,
        changes={"name": [None, name], "description": [None, description]},
    )
    for alias in aliases:
        armed_group_add_alias(actor=actor, armed_group=group, alias=alias)
    return group


@transaction.atomic
def armed_group_add_alias(*, actor, armed_group: ArmedGroup, alias: str) -> ArmedGroupAlias:
    """Record another name of an armed group; a name belongs to one group only."""
    alias = alias.strip()
    if not alias:
        raise DomainError(_("Give the alias."), field="alias")
    existing = _name_taken(alias)
    if existing is not None:
        whose = _("this group") if existing.pk == armed_group.pk else existing.name
        raise DomainError(
            _("“%(alias)s” is already a name of %(whose)s.") % {"alias": alias, "whose": whose},
            field="alias",
        )
    row = ArmedGroupAlias.objects.create(armed_group=armed_group, alias=alias)
    audit_record(
        actor=actor,
        action="armed_group.add_alias",
        obj=armed_group,
        changes={"alias": [None, alias]},
    )
    return row
