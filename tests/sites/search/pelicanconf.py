"""A portal made for measuring search (scripts/search_eval.py, tests/search/queries.yaml): words
whose characters also occur apart on other pages, residents' synonyms, places whose names share
characters, ids and dates."""

SITENAME = "桃园街道议事协商公开栏（搜索测试）"
SITEURL = "https://yishi.taoyuan.example.cn"
PATH = "content"
THEME = "../../../themes/gongshi"
PLUGINS = ["gongshi"]
GONGSHI_PUBLISHER = "桃园街道办事处、梨山镇人民政府（测试）"
GONGSHI_CONTACT = "市民服务热线 12345"
