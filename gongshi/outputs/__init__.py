"""The writers: one module (or package) per output family, each a pure ``write(build, output)``
that reads the ``Build`` and writes only its own files; and what the theme's templates call."""
