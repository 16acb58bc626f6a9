"""A traject's record: loading a traject with its entries, appending an entry, the base of every step's form."""
