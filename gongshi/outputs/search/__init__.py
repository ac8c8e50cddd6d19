"""Full-text search: Pagefind's extended build over the plan's searchable pages, made
byte-identical."""
