"""Long selects written without templates read exactly as Django's own: the same bytes,
escaping, selected options, groups and attributes (peacekeeping/widgets.py)."""

import pytest
from django import forms
from django.utils.translation import gettext_lazy, override

from accountability.forms import AnalysisFilterForm
from peacekeeping.widgets import ListSelect

CHOICES = [
    ("", gettext_lazy("All missions")),
    ("MINUSCA", "MINUSCA"),
    ("<b>&\"x'", "Côte d'Ivoire <script>"),
    ("Group & co", [("a", "A & B"), ("b", "B")]),
    (3, "Three"),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        ("", None),
        ("MINUSCA", {"id": "id_mission", "aria-describedby": "help", "required": True}),
        ("a", {"id": "x", "disabled": False, "data-x": '"quoted"'}),
        ("3", {"id": "y"}),
        ("<b>&\"x'", None),
    ],
)
def test_a_list_select_writes_what_djangos_select_writes(value, attrs):
    ours = ListSelect(choices=CHOICES).render("mission", value, attrs)
    django = forms.Select(choices=CHOICES).render("mission", value, attrs)

    assert ours == django
    assert "<script>" not in ours


def test_a_multiple_value_keeps_every_selected_option():
    widget = ListSelect(choices=CHOICES)
    widget.allow_multiple_selected = True
    reference = forms.Select(choices=CHOICES)
    reference.allow_multiple_selected = True

    assert widget.render("m", ["a", "b"]) == reference.render("m", ["a", "b"])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_analysts_filters_read_as_with_djangos_selects(world, language):
    data = {"mission": "MINUSCA", "country": "CAF", "nationality": "FRA", "outcome": "killed"}
    with override(language):
        ours = AnalysisFilterForm(data)
        django = AnalysisFilterForm(data)
        for field in django.fields.values():
            if isinstance(field.widget, ListSelect):
                field.widget = forms.Select(choices=field.choices, attrs=field.widget.attrs)

        assert [name for name, f in ours.fields.items() if isinstance(f.widget, ListSelect)] == [
            "mission",
            "country",
            "nationality",
        ]
        assert str(ours) == str(django)
        assert '<option value="MINUSCA" selected>MINUSCA</option>' in str(ours)
