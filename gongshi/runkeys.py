"""The keys under which a build's runner and the Pelican glue (:mod:`gongshi.plugin`) pass things
through a run's settings: a module of its own, importing nothing, so that a build that finds
nothing to do (``gongshi build --cache``) never loads the plugin and what it writes with.
"""

# Where the Build waits for the finalized signal, which is given only the Pelican object: in that
# run's settings (the very dict every generator of the run holds), never in a global.
BUILD_KEY = "gongshi build"
# Where the finished build leaves, for the runner, when its pages would next say something else
# (``SiteIndex.next_change``): the same settings dict, read after the run.
NEXT_CHANGE_KEY = "gongshi next change"
# The content's warnings, left in the settings for the build runner to print.
WARNINGS_KEY = "gongshi warnings"
# The build cache (:class:`gongshi.publish.cache.Cache`), when the runner uses one.
CACHE_KEY = "gongshi cache"
# A run's search writer in place of Pagefind's, if its settings name one (``gongshi serve``
# indexes after the page has reloaded: :mod:`gongshi.serve.preview`).
SEARCH_KEY = "gongshi search"
# Where the runner takes a run's search off the finalized signal (``gongshi build``: the search,
# ready to run, is left here, and the runner indexes while another process lists what the run
# wrote, :mod:`gongshi.publish.run`): the bundle is the same, written before the listing ends.
SEARCH_LATER_KEY = "gongshi search later"
# Every file below the output the Gongshi writers made, wrote or took over (pages, feeds,
# calendars, open data …), for the runner to remove what else a reused staging folder had
# (:mod:`gongshi.publish.spare`).
MADE_KEY = "gongshi made"
# What a long-lived process keeps of the cache's files between its builds, if it does
# (:class:`gongshi.publish.picklefile.Memory`: ``gongshi serve``'s).
MEMORY_KEY = "gongshi memory"

# Where a caller that shows the new site before the build's bookkeeping is done (``gongshi
# serve``: the page reloads first) takes that bookkeeping — keeping the cache, recording the
# output, waiting for the old tree's removal —: a list the runner appends it to, as a callable
# giving its warnings (:func:`gongshi.publish.run.build`).
FINISH_LATER_KEY = "gongshi finish later"

# Every key above: what a run passes through its settings, never part of what it is built from
# (the cache's keys leave them out; :func:`gongshi.publish.cache.inputs_key`).
RUN_KEYS = frozenset(
    {
        BUILD_KEY,
        NEXT_CHANGE_KEY,
        WARNINGS_KEY,
        CACHE_KEY,
        SEARCH_KEY,
        SEARCH_LATER_KEY,
        MADE_KEY,
        MEMORY_KEY,
        FINISH_LATER_KEY,
    }
)
