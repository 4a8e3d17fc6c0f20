"""Shared pieces of the django-tables2 tables, in the NHS.UK style of templates/portal/_table.html.

django-tables2 replaces a cell's class with a column's own, so a column's classes name the NHS.UK
cell class too."""

TABLE_CLASS = "nhsuk-table"
NUMERIC = {
    "td": {"class": "nhsuk-table__cell nhsuk-table__cell--numeric"},
    "th": {"class": "nhsuk-table__header nhsuk-table__header--numeric"},
}
NUMERIC_NOWRAP = {
    "td": {"class": "nhsuk-table__cell nhsuk-table__cell--numeric nhsuk-u-nowrap"},
    "th": {"class": "nhsuk-table__header nhsuk-table__header--numeric"},
}
