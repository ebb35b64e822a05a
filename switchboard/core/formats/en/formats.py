"""English dates written day first with the month's name: "6 Dec 2026", "6 Dec 2026 14:05".
Django's "en" writes them the American way (12/06/2026, 2:05 p.m.), which reads as 12 June in
Poland and the rest of Europe, where Switchboard is used; a month's name leaves no doubt. Times
on the 24-hour clock, as the pages' other times ("H:i"). The CSV exports stay ISO 8601.

What is typed into a date box is read day first too: yyyy-mm-dd (the boxes' placeholder, so it
comes first), then what the pages write ("6 Dec 2026", "6 December 2026") and dd/mm/yyyy as in
Britain. Django's "en" reads 06/12/2026 as 12 June; here it is 6 December, as the page beside it
would write it."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    *(f"{date} {time}" for date in DATE_INPUT_FORMATS for time in ("%H:%M", "%H:%M:%S")),
    "%Y-%m-%d %H:%M:%S.%f",
]
