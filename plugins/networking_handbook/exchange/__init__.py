"""Address books in and out: readers of LinkedIn, Google Contacts and vCard files
(`readers`), merging what they hold into the handbook without overwriting anything
(`merge`), and exports to vCard, CSV, JSON and iCalendar (`exports`).
"""
