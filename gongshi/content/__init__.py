"""Phase one: reading and checking what editors write — files, front matter, fields, bodies,
places and code lists — into typed items, with every problem collected as ``path:line``."""
