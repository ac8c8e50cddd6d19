"""Settings for publishing: the bundled settings, with the real site address."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("GONGSHI_SITE_URL", SITEURL)  # noqa: F405
