"""English dates written day first with the month's name: "6 Dec 2026", "6 Dec 2026 14:05".
Django's "en" writes them the American way (12/06/2026, 2:05 p.m.), which reads as 12 June in
Poland and the rest of Europe, where Switchboard is used; a month's name leaves no doubt. Times
on the 24-hour clock, as the pages' other times ("H:i"). What is typed into a date field stays
yyyy-mm-dd (DATE_INPUT_FORMATS, Django's), and the CSV exports ISO 8601."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
