"""Settings of the bundled portal. Gongshi's own settings are the GONGSHI_* keys
(documented in docs/architecture.md); the plugin imposes the Pelican settings it owns."""

SITENAME = "丰台区议事协商公示（示例）"
SITEURL = "https://gongshi.example.org"
PATH = "content"
OUTPUT_PATH = "output"
THEME = "themes/gongshi"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"

PLUGINS = ["gongshi"]

GONGSHI_TIMEZONE = "Asia/Shanghai"
GONGSHI_PUBLISHER = "花乡街道办事处、北宫镇人民政府（示例）"
GONGSHI_CONTACT = "接诉即办热线 12345"
GONGSHI_SAMPLE_NOTICE = (
    "本站为 Gongshi 演示站点：内容是根据已公开发表的两篇“接诉即办”典型案例改写的示例，"
    "具体日期、地点等细节为补充的示意信息，不是官方公告。"
)
