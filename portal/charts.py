"""One palette and one base look for every chart (plotly figures built in Python, drawn by
``static/js/charts.js``).

The colours are the NHS identity's (https://www.england.nhs.uk/nhsidentity/identity-guidelines/colours/).
A status colour never stands alone: the chart's table, text summary and hover text say the
word (on track, below the standard) as well.
"""

from __future__ import annotations

BLUE = "#005eb8"
DARK_BLUE = "#003087"
GREEN = "#007f3b"
LIGHT_GREEN = "#009639"
WARM_YELLOW = "#ffb81c"
ORANGE = "#ed8b00"
RED = "#d5281b"
PURPLE = "#330072"
PINK = "#7c2855"
DARK_PINK = "#8a1538"
AQUA_GREEN = "#00a499"
GREY = "#768692"
DARK_GREY = "#425563"
TEXT = "#212b32"

#: Colours for the series of a chart, in order: as many as a chart has series (up to eight).
SERIES = (BLUE, ORANGE, GREEN, PINK, PURPLE, AQUA_GREEN, DARK_PINK, DARK_GREY)
#: A RAG rating, or meeting a standard fully, partly or not at all.
RAG = {"green": GREEN, "amber": WARM_YELLOW, "red": RED}

#: Every figure's layout starts from this.
BASE_LAYOUT = {
    "template": "none",  # plotly's default theme would add some 8 kB of JSON to the page
    "font": {"family": "Arial, sans-serif", "color": TEXT},
}
