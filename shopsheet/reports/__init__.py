"""Workbooks made for people to read or print (xlsxwriter): packing slips, reports."""
