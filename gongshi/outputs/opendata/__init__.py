"""Open data (台账): what each file holds, described once; its JSON Schema; the CSV writer that
guards every cell; and the writer of ``/data/``."""
