"""The board test site: a small portal with known answers for the public ledger board
(公开台账). Its figures are listed in README.md and asserted by tests/test_board.py."""

SITENAME = "桥西议事协商公开栏（台账测试）"
SITEURL = "https://board.example.cn"
PATH = "content"
THEME = "../../../themes/gongshi"
PLUGINS = ["gongshi"]
GONGSHI_PUBLISHER = "桥西街道办事处（测试）"
GONGSHI_BOARD_MONTHS = 6  # 2025-01 … 2025-06 at NOW; the minimum and notice days: defaults
