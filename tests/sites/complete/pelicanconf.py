"""A deployment that shares nothing with the bundled one but the theme: another city's portal."""

SITENAME = "西湖区社区议事协商公开栏"
SITEURL = "https://yishi.xihu.example.cn"
PATH = "content"
THEME = "../../../themes/gongshi"
PLUGINS = ["gongshi"]
GONGSHI_PUBLISHER = "灵隐街道办事处、双浦镇人民政府（测试）"
GONGSHI_CONTACT = "市民服务热线 12345"
GONGSHI_PAGE_SIZE = 4
GONGSHI_HOME_ITEMS = 3
