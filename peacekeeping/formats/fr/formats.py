"""French dates: the UN's style in prose (6 décembre 2026), ISO 8601 in tables.

Django's French short formats are "06/12/2026"; tables and exports use ISO 8601 in
every language, so a date reads the same whoever reads it.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
