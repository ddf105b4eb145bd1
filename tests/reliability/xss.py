"""An XSS corpus: each payload would run script if a page ever rendered it unescaped
(and sets window.__xss, so a test can tell), or tries to break out of an attribute, a
textarea, a URL or a template."""

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '"><img src=x onerror="window.__xss=1;alert(1)">',
    '\'><svg onload="window.__xss=1;alert(1)">',
    "javascript:window.__xss=1;alert(1)//",
    "</textarea><script>window.__xss=1</script>",
    '<a href="javascript:window.__xss=1">click</a>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "{{7*7}}{% csrf_token %}${7*7}",
    "<style>body{display:none}</style>",
    '"><details open ontoggle="window.__xss=1">',
]
