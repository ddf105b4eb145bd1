"""English dates: the UN's style in prose (6 December 2026), ISO 8601 in tables.

Django's own English formats mix "Dec. 6, 2026" and "12/06/2026"; the United Nations
write the day before the month, and tables and exports use ISO 8601 in every language.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
