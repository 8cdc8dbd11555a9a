"""ASN people: profiles, identity numbers, roles and the tree of work units."""
