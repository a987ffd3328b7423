def build(*, admin, seed):
    return {}
