from ninja import Router

router = Router(tags=["library"])
ROUTERS: list[tuple[str, Router]] = [("/library", router)]
