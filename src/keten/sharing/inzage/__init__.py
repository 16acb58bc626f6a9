"""Inzage and destruction requests (AVG art. 15 and 17): pages, forms, reads, writes and the overview PDF."""
