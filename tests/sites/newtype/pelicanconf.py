"""A site with a content type of its own, 投诉议题 (complaint), defined in complaint.py beside
this file: the model, and its labels here in GONGSHI_CODES, are all the type needs
(tests/test_new_type.py registers it around each build)."""

SITENAME = "新河街道议事协商公开栏"
SITEURL = "https://yishi.xinhe.example.cn"
PATH = "content"
THEME = "../../../themes/gongshi"
PLUGINS = ["gongshi"]
GONGSHI_PAGE_SIZE = 2
GONGSHI_CODES = {
    "item_type": {"complaint": "投诉议题"},
    "complaint_status": {"received": "已受理", "discussed": "已协商", "resolved": "已解决"},
}
