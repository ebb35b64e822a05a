"""Polish dates as Polish offices write them: dd.mm.rrrr (Django's own short format is dd-mm-rrrr)."""

SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
