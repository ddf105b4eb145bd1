"""Versions of a follow-up report: which version a new one supersedes, and what changed.

A rebuild whose content is unchanged keeps the existing version (services.py); a changed
one is the next version. The report's page says, in a few lines, what differs from the
version it supersedes: cases that entered or left the report, cases whose stage, impunity
or closure changed, and the figures that moved.
"""

from django.utils.translation import gettext as _

from accountability.choices import CaseStage
from accountability.reports.models import FollowUpReport

S = FollowUpReport.Status


def superseded_version(report: FollowUpReport) -> FollowUpReport | None:
    """The latest built version of the same State (or list) and period before this one."""
    return (
        FollowUpReport.objects.filter(
            host_state_id=report.host_state_id,
            mission_id=None if report.host_state_id else report.mission_id,
            period_kind=report.period_kind,
            period_start=report.period_start,
            version__lt=report.version,
            status=S.DONE,
        )
        .order_by("-version")
        .first()
    )


def superseding_version(report: FollowUpReport) -> FollowUpReport | None:
    """The newest built version of the same State (or list) and period after this one."""
    return (
        FollowUpReport.objects.filter(
            host_state_id=report.host_state_id,
            mission_id=None if report.host_state_id else report.mission_id,
            period_kind=report.period_kind,
            period_start=report.period_start,
            version__gt=report.version,
            status=S.DONE,
        )
        .order_by("-version")
        .only("pk", "version")
        .first()
    )


def _cases(content: dict) -> dict[str, dict]:
    return {
        case["reference"]: case for case in [*content["cases"], *content.get("closed_cases", [])]
    }


def content_changes(old: dict, new: dict) -> list[str]:
    """What differs between two contents of the same report, as sentences (translated)."""
    lines: list[str] = []
    if old.get("schema") != new.get("schema"):
        lines.append(
            _("The report's format changed (version %(schema)s).") % {"schema": new["schema"]}
        )
    if old.get("parameters") != new.get("parameters"):
        lines.append(_("The rule's settings changed."))
    stages = dict(CaseStage.choices)

    def stage(case: dict) -> str:
        return str(stages.get(case["stage"], case["stage"]))

    before, after = _cases(old), _cases(new)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    if added:
        lines.append(_("Cases now listed: %(refs)s.") % {"refs": ", ".join(added)})
    if removed:
        lines.append(_("Cases no longer listed: %(refs)s.") % {"refs": ", ".join(removed)})
    for reference in sorted(set(before) & set(after)):
        was, now = before[reference], after[reference]
        if was["stage"] != now["stage"]:
            lines.append(
                _("%(ref)s: stage %(before)s → %(after)s.")
                % {"ref": reference, "before": stage(was), "after": stage(now)}
            )
        if was["impunity"] != now["impunity"]:
            lines.append(
                (
                    _("%(ref)s now meets the impunity rule.")
                    if now["impunity"]
                    else _("%(ref)s no longer meets the impunity rule.")
                )
                % {"ref": reference}
            )
    old_counts = old.get("summary", {}).get("counts", {})
    for key, value in sorted(new.get("summary", {}).get("counts", {}).items()):
        if old_counts.get(key) != value:
            lines.append(
                _("%(figure)s: %(before)s → %(after)s.")
                % {
                    "figure": key.replace("_", " "),
                    "before": old_counts.get(key, "—"),
                    "after": value,
                }
            )
    old_rows = {row["key"]: row for row in old.get("summary", {}).get("rows", [])}
    for row in new.get("summary", {}).get("rows", []):
        was = old_rows.get(row["key"], {})
        if (was.get("in_period"), was.get("cumulative")) != (row["in_period"], row["cumulative"]):
            lines.append(
                _("%(figure)s: %(before)s → %(after)s.")
                % {
                    "figure": row["key"].replace("_", " "),
                    "before": f"{was.get('in_period', '—')} / {was.get('cumulative', '—')}",
                    "after": f"{row['in_period']} / {row['cumulative']}",
                }
            )
    if not lines:
        lines.append(_("Other details of the listed cases changed."))
    return lines


def version_context(report: FollowUpReport) -> dict:
    """For the report's page: the version it supersedes, what changed since, and the
    version that supersedes it (if any)."""
    if report.status != S.DONE:
        return {}
    older = superseded_version(report)
    return {
        "superseded": older,
        "version_changes": (
            content_changes(older.content, report.content)
            if older is not None and older.content and report.content
            else []
        ),
        "superseded_by": superseding_version(report),
    }
