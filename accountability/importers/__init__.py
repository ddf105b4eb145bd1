"""The accountability side of imports recorded by the incidents app: the cases of the
attacks a UN fatalities file brought in (registered with incidents/case_link.py)."""
