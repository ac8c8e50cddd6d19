"""``gongshi serve``: the site as it would be built, served on 127.0.0.1, rebuilt on every save.

:mod:`.watch` notices a save, :mod:`.preview` rebuilds into a temporary folder (never
``output/``) through the same build runner as ``gongshi build``, :mod:`.server` serves that folder
and tells the open pages to reload, and :mod:`.errorpage` is what they show while the content has
problems. :mod:`.command` is the loop that ties them together.
"""
