from ninja import Router

ROUTERS: list = []
