"""CSV for analysts: the same rows as the JSON, one line each (``?format=csv``), written by
``portal.exports`` like every other download: no text cell reaches a spreadsheet as a formula,
dates are ISO (the serialisers' own), numbers plain, and a yes-or-no field reads Yes or No as the
pages say it. The headings are the JSON's field names, which the API's schema documents with
their units. (djangorestframework-csv was considered: its last release is of December 2023 and
it writes formulas live, so this stays a thin renderer over the one writer.)"""

from __future__ import annotations

from rest_framework.renderers import BaseRenderer

from portal import exports


def _cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}={item}" for key, item in value.items())
    return value


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:  # an error, or one object
            rows = [data]
        content = b""
        if rows:
            headers = list(rows[0].keys())
            content = exports.write_table(
                headers=headers,
                rows=([_cell(row.get(header)) for header in headers] for row in rows),
                file_format="csv",
                bom=False,
            )
        response = renderer_context.get("response") if renderer_context else None
        if response is not None and response.status_code == 200:
            view = renderer_context.get("view")
            name = getattr(view, "basename", None) or "export"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return content
