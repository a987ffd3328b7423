PAGE_ROWS: list = []
API_OPS: list = []
