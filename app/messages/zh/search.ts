// Chinese messages of search: the header box, suggestions and the results page.
export const search = {
  'search.label': '搜索产品',
  'search.placeholder': '产品、产地或拼音，如 tudou、岷县当归',
  'search.submit': '搜索',
  'search.suggestions': '搜索建议',
  'search.suggestRegion': '地区',
  'search.title': '搜索“{q}”',
  'search.titleEmpty': '搜索',
  'search.total': '找到 {n} 种产品',
  'search.degraded': '搜索索引正在准备中，以下为简单文字匹配的结果，排序和拼音搜索暂不可用。',
  'search.empty': '没有找到与“{q}”相关的产品。',
  'search.emptyHint':
    '试试更短的关键词、产地名称（如“定西”）、常用叫法（如“土豆”）或拼音（如“danggui”），也可以浏览全部产品。',
  'search.prompt': '输入产品名称、产地、合作社或拼音开始搜索。',
  'search.facets': '筛选结果',
  'search.facet.category': '分类',
  'search.facet.province': '产地省份',
  'search.facet.certified': '帮扶产品认定',
  'search.facet.certifiedOnly': '只看已认定（{n}）',
  'search.clearFilters': '清除筛选',
  'search.sort.relevance': '相关度',
} as const
